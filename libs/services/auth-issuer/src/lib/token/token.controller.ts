import { Controller, Header, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

import { Access, Rule } from '@ml-run/server';

import { OAuthErrorResponseDto } from '../oauth-error-response.dto';
import { OAuthErrorFilter } from '../oauth-error.filter';
import { IssueTokenDto, TokenResponseDto } from './issue-token.dto';
import { AdmittedLogin, PasswordLoginGuard, type PasswordLogin } from './password-login.guard';
import { TokenService } from './token.service';

@ApiTags('auth')
@Controller('v1/auth')
@UseFilters(OAuthErrorFilter)
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  // Login: the password (or LDAP bind) is the credential, checked by PasswordLoginGuard
  // (behind the login throttle) before the handler runs.
  @Post('token')
  @Access(Rule.public())
  @UseGuards(PasswordLoginGuard)
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiOperation({
    summary: 'Log in with username and password; get a bearer token (OAuth2 password grant)',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: IssueTokenDto })
  @ApiOkResponse({ type: TokenResponseDto, description: 'RFC 6749 §5.1; never cached' })
  @ApiBadRequestResponse({
    type: OAuthErrorResponseDto,
    description:
      'invalid_request, unsupported_grant_type, invalid_scope, or invalid_grant (INVALID_CREDENTIALS) for a wrong username or password',
  })
  @ApiTooManyRequestsResponse({
    type: OAuthErrorResponseDto,
    description:
      'TOO_MANY_ATTEMPTS: too many failed logins for the username or address; see Retry-After',
  })
  @ApiServiceUnavailableResponse({
    type: OAuthErrorResponseDto,
    description:
      'AUTH_UNAVAILABLE (temporarily_unavailable): the user directory (LDAP) cannot be reached; retry after Retry-After',
  })
  issue(@AdmittedLogin() login: PasswordLogin): Promise<TokenResponseDto> {
    return this.tokens.issue(login);
  }
}
