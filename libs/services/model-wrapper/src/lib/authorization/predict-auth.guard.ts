import { Inject, Injectable, type CanActivate } from '@nestjs/common';

export const AUTH_MODE = Symbol('AUTH_MODE');
export type AuthMode = 'disabled';

// The seam where bearer-token authorization plugs in (DESIGN.md §3). Until it lands the
// only mode is `disabled`, and the guard says so explicitly rather than being absent.
@Injectable()
export class PredictAuthGuard implements CanActivate {
  constructor(@Inject(AUTH_MODE) private readonly mode: AuthMode) {}

  canActivate(): boolean {
    return this.mode === 'disabled';
  }
}
