import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';
import {
  ADMIN_SCOPE,
  type CreateUserResponse,
  type GroupListResponse,
  type UserListResponse,
} from '@ml-run/token-contract';

import { RevocationService } from '../revocation/revocation.service';
import { CallerName } from '../user-revocation/issuer-access.enforcer';
import { parseCreateUserRequest } from './create-user-request';
import { UserAdminService } from './user-admin.service';
import { usernameParam } from './username-param';

// Every door here is an admin's: who may log in, with which scopes, is the keys to
// everything else. The token is checked before the body is read (bindAccessRules).
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1')
export class UsersController {
  constructor(
    private readonly users: UserAdminService,
    private readonly revocations: RevocationService,
  ) {}

  @Get('users')
  @Access(Rule.token(ADMIN_SCOPE))
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'List users and their groups (admin); LDAP users are not listed' })
  @ApiOkResponse({
    schema: {
      example: {
        users: [{ username: 'admin', groups: ['admins'] }],
        managedBy: 'file',
        editable: true,
      },
    },
  })
  list(): Promise<UserListResponse> {
    return this.users.list();
  }

  @Post('users')
  @Access(Rule.token(ADMIN_SCOPE))
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Add a user to the users file (admin)' })
  @ApiBody({
    schema: {
      example: { username: 'bob', password: 'correct horse battery', groups: ['publishers'] },
    },
  })
  @ApiCreatedResponse({ schema: { example: { username: 'bob', groups: ['publishers'] } } })
  @ApiUnprocessableEntityResponse({
    description: 'INVALID_USERNAME, WEAK_PASSWORD (12 to 1024 characters) or UNKNOWN_GROUP',
  })
  @ApiConflictResponse({ description: 'USER_EXISTS, or USERS_MANAGED_IN_LDAP' })
  create(@Body() body: unknown, @CallerName() caller: string): Promise<CreateUserResponse> {
    return this.users.create(parseCreateUserRequest(body), caller);
  }

  @Delete('users/:name')
  @Access(Rule.token(ADMIN_SCOPE))
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a user (admin); their tokens are revoked before the answer' })
  @ApiParam({ name: 'name', example: 'bob' })
  @ApiNoContentResponse({ description: 'Removed, and their tokens revoked' })
  @ApiConflictResponse({
    description: 'LAST_ADMIN, CANNOT_REMOVE_SELF, or USERS_MANAGED_IN_LDAP',
  })
  remove(@Param('name') name: string, @CallerName() caller: string): Promise<void> {
    return this.users.remove(usernameParam(name), caller);
  }

  // The same operation as POST /v1/auth/users/{name}/revoke-tokens, beside the other user
  // doors (the console's proxy allows paths under /v1/users).
  @Post('users/:name/revoke-tokens')
  @Access(Rule.token(ADMIN_SCOPE))
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Revoke every token a user holds now (admin)' })
  @ApiParam({ name: 'name', example: 'bob' })
  @ApiOkResponse({ schema: { example: { sub: 'bob', notBefore: '2026-11-28T10:00:00.000Z' } } })
  revokeTokens(@Param('name') name: string): Promise<{ sub: string; notBefore: string }> {
    return this.revocations.revokeSubject(usernameParam(name));
  }

  @Get('groups')
  @Access(Rule.token(ADMIN_SCOPE))
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'List groups and the scopes each grants (admin)' })
  @ApiOkResponse({
    schema: { example: { groups: [{ name: 'admins', scopes: ['admin'] }], managedBy: 'file' } },
  })
  groups(): Promise<GroupListResponse> {
    return this.users.groups();
  }
}
