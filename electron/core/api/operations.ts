/** Every TerminalApi operation. Free of dependencies, so the preload script stays small. */
export const OPERATION_NAMES = ['getStatus', 'pair', 'getMenu', 'placeOrder', 'payByCard', 'getCheckout', 'retryCard', 'cancelCheckout', 'payAtCounterInstead', 'getReceipt', 'listTickets', 'bumpTicket', 'bumpItem', 'markPaid', 'recallTicket', 'getBoard', 'getScreenAccess', 'renewScreenPin', 'leaveKiosk', 'speak'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];
