import type { AuthResponse } from './auth.responses';
import type { TwoFactorChallengeResponse } from './two-factor.responses';

/** `POST /api/login`: signed in, or a challenge for the one-time code (SPEC §8.3). */
export type LoginResponse = AuthResponse | TwoFactorChallengeResponse;

export const isTwoFactorChallenge = (
  response: LoginResponse,
): response is TwoFactorChallengeResponse =>
  (response as TwoFactorChallengeResponse).twoFactorRequired === true;
