/**
 * No JSON-Schema library is installed, so the tests of the published schemas (schema/*.schema.json) check values
 * with this small checker of exactly the keywords the generated schemas use; a keyword it does not know fails the
 * test instead of passing silently.
 */
export interface SchemaNode {
  readonly [keyword: string]: unknown;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default']);
const ASSERTIONS = new Set([
  'type',
  'properties',
  'additionalProperties',
  'required',
  'items',
  'anyOf',
  'oneOf',
  'enum',
  'const',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The problems of `value` against `node` ("jira.projects.0: does not match …"); empty when it is valid. */
export function checkAgainstSchema(node: SchemaNode, value: unknown, at = '(root)'): string[] {
  for (const keyword of Object.keys(node)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`${at}: the test's checker does not know the keyword "${keyword}"`);
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (node.type !== undefined) {
    const allowed = typeof node.type === 'string' ? [node.type] : node.type;
    if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) return [`${at}: ${actual} is not ${allowed.join('|')}`];
  }
  if ('const' in node && node.const !== value) problems.push(`${at}: not ${JSON.stringify(node.const)}`);
  if (node.enum && !node.enum.some((v) => v === value)) problems.push(`${at}: not one of ${JSON.stringify(node.enum)}`);
  if (node.anyOf?.every((alt) => checkAgainstSchema(alt, value, at).length > 0)) problems.push(`${at}: matches no alternative`);
  if (node.oneOf && node.oneOf.filter((alt) => checkAgainstSchema(alt, value, at).length === 0).length !== 1) {
    problems.push(`${at}: does not match exactly one alternative`);
  }
  if (typeof value === 'string') {
    if (typeof node.minLength === 'number' && [...value].length < node.minLength) problems.push(`${at}: shorter than ${node.minLength}`);
    if (typeof node.maxLength === 'number' && [...value].length > node.maxLength) problems.push(`${at}: longer than ${node.maxLength}`);
    if (typeof node.pattern === 'string' && !new RegExp(node.pattern, 'u').test(value)) problems.push(`${at}: does not match ${node.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof node.minimum === 'number' && value < node.minimum) problems.push(`${at}: below ${node.minimum}`);
    if (typeof node.maximum === 'number' && value > node.maximum) problems.push(`${at}: above ${node.maximum}`);
    if (typeof node.exclusiveMinimum === 'number' && value <= node.exclusiveMinimum) problems.push(`${at}: not above ${node.exclusiveMinimum}`);
  }
  if (Array.isArray(value)) {
    if (typeof node.minItems === 'number' && value.length < node.minItems) problems.push(`${at}: fewer than ${node.minItems} items`);
    if (typeof node.maxItems === 'number' && value.length > node.maxItems) problems.push(`${at}: more than ${node.maxItems} items`);
    const items = node.items;
    if (items)
      value.forEach((item, i) => {
        problems.push(...checkAgainstSchema(items, item, `${at}.${i}`));
      });
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of node.required ?? []) if (!(key in object)) problems.push(`${at}: missing ${key}`);
    for (const [key, child] of Object.entries(object)) {
      const sub = node.properties?.[key];
      if (sub) problems.push(...checkAgainstSchema(sub, child, `${at}.${key}`));
      else if (node.additionalProperties === false) problems.push(`${at}: unknown key ${key}`);
    }
  }
  return problems;
}
