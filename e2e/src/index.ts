export { APP_NAMES, AppProcess, REPO_ROOT, type AppName, type AppProcessOptions } from './app-process.js';
export { freePort } from './ports.js';
export { TestReceiver, type ReceivedRequest, type Responder } from './receiver.js';
export { Stack, STACK_ADMIN_TOKEN, type StackOptions } from './stack.js';
export { deleteStreamsOfPrefix } from './streams.js';
export { callJson } from './http-json.js';
