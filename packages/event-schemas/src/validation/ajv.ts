import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`: under Node's ESM loader the default import is the plugin itself,
// while TypeScript (nodenext) types it as the module namespace. Accept both shapes.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  formatsModule) as unknown as FormatsPlugin;

/**
 * One ajv instance for the package. `allErrors` reports every bad field at once (a producer fixes them in one go);
 * `verbose` gives each error its schema, whose `description` becomes part of the human message.
 */
export const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['date-time']);

const cache = new WeakMap<object, ValidateFunction>();

export function compiled(schema: object): ValidateFunction {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}
