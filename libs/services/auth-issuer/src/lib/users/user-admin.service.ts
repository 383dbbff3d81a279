import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  AuthErrorCode,
  UserAdminErrorCode,
  type CreateUserRequest,
  type CreateUserResponse,
  type GroupListResponse,
  type UserListResponse,
} from '@ml-run/token-contract';
import {
  USER_DIRECTORY,
  type UserAdministration,
  type UserDirectory,
} from '@ml-run/user-directory';

import { RevocationService } from '../revocation/revocation.service';
import { managedInLdap, UserAdminError, userAdminErrorOf } from './user-admin.errors';

const LDAP_NOTE =
  'Users are managed in the LDAP directory, which ML-RUN does not list: its service account only looks users up by name. Add, remove and list users in LDAP; the groups below are the LDAP groups that grant ML-RUN scopes.';

/**
 * User administration for admins, over the directory's administration port: the users
 * file is listed and edited with the CLI's own rules; LDAP is read-only here.
 */
@Injectable()
export class UserAdminService {
  private readonly logger = new Logger(UserAdminService.name);

  constructor(
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
    private readonly revocations: RevocationService,
  ) {}

  async list(): Promise<UserListResponse> {
    const admin = this.administration();
    const users = await directoryCall(() => admin.listUsers());
    const editable = admin.addUser !== undefined && admin.removeUser !== undefined;
    if (users !== undefined) return { users, managedBy: admin.managedBy, editable };
    return { users: [], managedBy: admin.managedBy, editable, note: LDAP_NOTE };
  }

  async groups(): Promise<GroupListResponse> {
    const admin = this.administration();
    const groups = await directoryCall(() => admin.listGroups());
    return { groups, managedBy: admin.managedBy };
  }

  async create(request: CreateUserRequest, by: string): Promise<CreateUserResponse> {
    const admin = this.administration();
    if (admin.addUser === undefined) throw managedInLdap();
    const add = admin.addUser.bind(admin);
    const user = await directoryCall(() => add(request.username, request.password, request.groups));
    this.logger.log({ user: user.username, groups: user.groups, by }, 'user added');
    return user;
  }

  /**
   * Removes a user and revokes their tokens before answering, so the answer means they
   * are gone; the directory's change watcher would revoke them too, within its polling
   * interval, and keeps retrying if the token store is away now.
   */
  async remove(username: string, by: string): Promise<void> {
    const admin = this.administration();
    if (admin.removeUser === undefined) throw managedInLdap();
    if (username === by) {
      throw new UserAdminError(
        409,
        UserAdminErrorCode.CannotRemoveSelf,
        `you are ${by}: an admin cannot remove themselves; ask another admin to do it`,
      );
    }
    const remove = admin.removeUser.bind(admin);
    await directoryCall(() => remove(username));
    this.logger.log({ user: username, by }, 'user removed');
    try {
      await this.revocations.revokeSubject(username);
    } catch (error) {
      this.logger.error({ err: error, user: username }, 'user removed; tokens not revoked yet');
      throw new UserAdminError(
        503,
        AuthErrorCode.AuthUnavailable,
        `${username} is removed, but their tokens could not be revoked now; the issuer keeps retrying until the token store answers`,
      );
    }
  }

  private administration(): UserAdministration {
    const admin = this.directory.admin;
    // Every directory ML-RUN ships has one (LDAP's is read-only, hence this answer).
    if (admin === undefined) throw managedInLdap();
    return admin;
  }
}

async function directoryCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw userAdminErrorOf(error);
  }
}
