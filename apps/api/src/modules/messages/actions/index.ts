import { ActionAccess } from './action-access';
import { ChangeLogRepository } from './change-log.repository';
import { MessageActionsController } from './message-actions.controller';
import { MessageActionsGateway } from './message-actions.gateway';
import { MessageActionsRepository } from './message-actions.repository';
import { MessageActionsService } from './message-actions.service';
import { MessageChangesService } from './message-changes.service';
import { MessageView } from './message-view';
import { PreviewFilter } from './preview';
import { SummaryReviser } from './summary-reviser';

export { MESSAGE_ACTION_MODELS } from './message-actions.schema';
export { MessageView } from './message-view';
export { PreviewFilter } from './preview';

/** Edit, delete, react, reply summaries and change catch-up, mounted in MessagesModule. */
export const MESSAGE_ACTION_CONTROLLERS = [MessageActionsController];
export const MESSAGE_ACTION_PROVIDERS = [
  ActionAccess,
  ChangeLogRepository,
  MessageActionsRepository,
  MessageView,
  PreviewFilter,
  SummaryReviser,
  MessageActionsService,
  MessageChangesService,
  MessageActionsGateway,
];
