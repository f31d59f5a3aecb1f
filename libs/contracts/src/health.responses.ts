import { IsIn } from 'class-validator';

/** `GET /api/health`: the process is up. */
export class LivenessResponse {
  @IsIn(['ok'])
  status!: 'ok';
}
