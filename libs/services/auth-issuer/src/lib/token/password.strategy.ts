import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import {
  Strategy as LocalStrategy,
  type IStrategyOptions,
  type VerifyFunction,
} from 'passport-local';

import { USER_DIRECTORY, type DirectoryUser, type UserDirectory } from '@ml-run/user-directory';

/** The name this issuer's PasswordStrategy is registered under (passwordStrategyName()). */
export const PASSWORD_STRATEGY_NAME = Symbol('PASSWORD_STRATEGY_NAME');

let registered = 0;

/**
 * A name of this issuer's own: passport keeps one registry of named strategies per process,
 * so two issuers in one process (tests, an embedded stack) under one name would check
 * passwords against whichever directory registered last.
 */
export function passwordStrategyName(): string {
  registered += 1;
  return `mlrun-password-${registered}`;
}

// passport-local names itself 'local'; this one takes its name as an argument.
class NamedLocalStrategy extends LocalStrategy {
  constructor(name: string, options: IStrategyOptions, verify: VerifyFunction) {
    super(options, verify);
    this.name = name;
  }
}

/**
 * passport-local over the UserDirectory port: the users file or LDAP checks the password
 * (each answers an unknown user like a wrong password, in about the same time). Reads
 * `username` and `password` from the body, which PasswordLoginGuard has already checked.
 */
@Injectable()
export class PasswordStrategy
  extends PassportStrategy(NamedLocalStrategy)
  implements OnModuleDestroy
{
  constructor(
    @Inject(USER_DIRECTORY) private readonly users: UserDirectory,
    @Inject(PASSWORD_STRATEGY_NAME) name: string,
  ) {
    super(name, { session: false });
  }

  // false: a wrong password or an unknown user, alike. A directory that cannot check throws,
  // and passport passes the error on as it is.
  async validate(username: string, password: string): Promise<DirectoryUser | false> {
    return (await this.users.authenticate(username, password)) ?? false;
  }

  onModuleDestroy(): void {
    passport.unuse(this.name);
  }
}
