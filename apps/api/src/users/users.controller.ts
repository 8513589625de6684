import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiToken, User, UserCreate, UserPatch } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { ApiTokensService } from '../auth/api-tokens.service';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
@Access('admin')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users' })
  @Returns(200, z.array(User), 'Users', [401, 403])
  list(): Promise<User[]> {
    return this.users.listUsers();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user with a role' })
  @Input({ body: UserCreate })
  @Returns(201, User, 'Created', [400, 401, 403, 409])
  create(@Body() body: UserCreate, @Author() author: string): Promise<User> {
    return this.users.createUser(body, author);
  }

  @Get(':userId')
  @ApiOperation({ summary: 'Get a user' })
  @Returns(200, User, 'The user', [401, 403, 404])
  get(@Param('userId') userId: string): Promise<User> {
    return this.users.getUser(userId);
  }

  @Patch(':userId')
  @ApiOperation({
    summary: 'Change a user: name, role, disabled, or a new password (ends their sessions and API tokens)',
    description:
      'A new password or disabling the account revokes every session and API token of the user for good (enabling the account again brings none back) and closes their live sockets. The last enabled admin can be neither disabled nor given another role (409 CONFLICT): make another user an admin first.',
  })
  @Input({ body: UserPatch })
  @Returns(200, User, 'Updated', [400, 401, 403, 404, 409])
  update(@Param('userId') userId: string, @Body() body: UserPatch, @Author() author: string): Promise<User> {
    return this.users.updateUser(userId, body, author);
  }

  @Get(':userId/tokens')
  @ApiOperation({ summary: "A user's API tokens, revoked ones included (never the tokens themselves)" })
  @Returns(200, z.array(ApiToken), 'Tokens', [401, 403, 404])
  tokens(@Param('userId') userId: string): Promise<ApiToken[]> {
    return this.users.listTokensOf(userId);
  }

  @Delete(':userId/tokens/:tokenId')
  @ApiOperation({
    summary: "Revoke a user's API token (it stops working at once, also on open live sockets)",
    description: 'Audited as api_token.revoked. A token of another user is answered as unknown (404). Revoking a revoked token changes nothing.',
  })
  @Returns(200, ApiToken, 'Revoked', [401, 403, 404])
  revokeToken(@Param('userId') userId: string, @Param('tokenId') tokenId: string, @Author() author: string): Promise<ApiToken> {
    return this.apiTokens.revokeToken(userId, tokenId, author);
  }
}
