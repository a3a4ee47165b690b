export { generateSecret, secretKey, SECRET_PREFIX } from './secret.js';
export { signWebhook, type SignWebhookOptions } from './sign.js';
export {
  verifyWebhook,
  verifyCodeplanetSignature,
  verifyStandardWebhook,
  DEFAULT_TOLERANCE_SECONDS,
  type VerifyWebhookOptions,
} from './verify.js';
export { WebhookVerificationError, type WebhookVerificationErrorCode } from './errors.js';
export { HEADERS, readHeader, type HeaderSource } from './headers.js';
export { createSecretBox, generateKeyringKey, DEV_SECRETS_KEYRING, type SecretBox } from './secret-box.js';
export { parseKeyring, type KeyringEntry } from './keyring.js';
