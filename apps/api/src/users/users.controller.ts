import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { User, UserCreate, UserPatch } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../auth/access';
import { AuthService } from '../auth/auth.service';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';

@ApiTags('users')
@Controller('users')
@Access('admin')
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @ApiOperation({ summary: 'List users' })
  @Returns(200, z.array(User), 'Users', [401, 403])
  list(): Promise<User[]> {
    return this.auth.listUsers();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user with a role' })
  @Input({ body: UserCreate })
  @Returns(201, User, 'Created', [400, 401, 403, 409])
  create(@Body() body: UserCreate, @Author() author: string): Promise<User> {
    return this.auth.createUser(body, author);
  }

  @Get(':userId')
  @ApiOperation({ summary: 'Get a user' })
  @Returns(200, User, 'The user', [401, 403, 404])
  get(@Param('userId') userId: string): Promise<User> {
    return this.auth.getUser(userId);
  }

  @Patch(':userId')
  @ApiOperation({
    summary: 'Change a user: name, role, disabled, or a new password (ends their sessions)',
    description: 'The last enabled admin can be neither disabled nor given another role (409 CONFLICT): make another user an admin first.',
  })
  @Input({ body: UserPatch })
  @Returns(200, User, 'Updated', [400, 401, 403, 404, 409])
  update(@Param('userId') userId: string, @Body() body: UserPatch, @Author() author: string): Promise<User> {
    return this.auth.updateUser(userId, body, author);
  }
}
