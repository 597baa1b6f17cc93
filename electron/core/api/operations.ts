/** Every TerminalApi operation. Free of dependencies, so the preload script stays small. */
export const OPERATION_NAMES = ['getStatus', 'pair', 'getMenu', 'placeOrder', 'listTickets', 'bumpTicket', 'recallTicket', 'getBoard', 'getScreenAccess', 'renewScreenPin', 'leaveKiosk'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];
