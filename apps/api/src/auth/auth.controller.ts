import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiToken, ApiTokenCreate, ApiTokenCreated, LoginInput, LoginResult, Me, PASSWORD_MIN_LENGTH, PasswordChange } from '@parley/contracts';
import { z } from 'zod';
import { Returns } from '../common/api-responses';
import { CurrentPrincipal } from '../common/author.decorator';
import type { Principal } from '../common/principal';
import { Input } from '../common/validation';
import { Access } from '../common/access';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';

type UserPrincipal = Principal & { kind: 'user' };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Access('public')
  @ApiOperation({ summary: 'Sign in with email and password; returns a short-lived bearer token' })
  @Input({ body: LoginInput })
  @Returns(200, LoginResult, 'Signed in', [400, 401, 429])
  login(@Body() body: LoginInput): Promise<LoginResult> {
    return this.auth.login(body);
  }

  @Post('logout')
  @HttpCode(204)
  @Access('user')
  @ApiOperation({
    summary: 'End this session (its token stops working at once)',
    description: 'Only for a session token. An API token is not ended by logout (400): revoke it with DELETE /api/auth/tokens/{tokenId}.',
  })
  @Returns(204, null, 'Signed out', [400, 401, 403])
  async logout(@CurrentPrincipal() principal: UserPrincipal): Promise<void> {
    await this.auth.logout(principal);
  }

  @Post('password')
  @HttpCode(204)
  @Access('user')
  @ApiOperation({
    summary: 'Change your own password',
    description:
      `Needs the current password: a wrong one is a 403 that changes nothing; attempts are limited per address like sign-in (LOGIN_LIMIT_PER_MINUTE), and an account locked by failed sign-ins waits here too (429). New password: at least ${PASSWORD_MIN_LENGTH} characters, different from the current one. Ends every other session of the user at once; the session making the call stays signed in; the user's API tokens keep working (revoke them with DELETE /api/auth/tokens/{tokenId}; an admin's password reset or a disable revokes them all). Audited as auth.password_changed.`,
  })
  @Input({ body: PasswordChange })
  @Returns(204, null, 'Changed', [400, 401, 403, 429])
  async changePassword(@CurrentPrincipal() principal: UserPrincipal, @Body() body: PasswordChange): Promise<void> {
    await this.auth.changePassword(principal, body);
  }

  @Get('me')
  @Access('signed-in')
  @ApiOperation({ summary: 'Who the credentials belong to' })
  @Returns(200, Me, 'The caller', [401])
  async me(@CurrentPrincipal() principal: Principal): Promise<Me> {
    if (principal.kind === 'share') return { user: null, via: 'share-link', negotiationId: principal.negotiationId };
    return { user: await this.auth.userOf(principal), via: principal.via, negotiationId: null };
  }

  @Get('tokens')
  @Access('user')
  @ApiOperation({ summary: 'Your API tokens (never the tokens themselves)' })
  @Returns(200, z.array(ApiToken), 'Tokens', [401])
  tokens(@CurrentPrincipal() principal: UserPrincipal): Promise<ApiToken[]> {
    return this.apiTokens.listTokens(principal.userId);
  }

  @Post('tokens')
  @HttpCode(201)
  @Access('user')
  @ApiOperation({ summary: 'Create an API token for scripts; it is shown once' })
  @Input({ body: ApiTokenCreate })
  @Returns(201, ApiTokenCreated, 'Created', [400, 401])
  createToken(@CurrentPrincipal() principal: UserPrincipal, @Body() body: ApiTokenCreate): Promise<ApiTokenCreated> {
    return this.apiTokens.createToken(principal, body);
  }

  @Delete('tokens/:tokenId')
  @Access('user')
  @ApiOperation({ summary: 'Revoke one of your API tokens (it stops working at once)' })
  @Returns(200, ApiToken, 'Revoked', [401, 404])
  revokeToken(@CurrentPrincipal() principal: UserPrincipal, @Param('tokenId') tokenId: string): Promise<ApiToken> {
    return this.apiTokens.revokeToken(principal.userId, tokenId, principal.email);
  }
}
