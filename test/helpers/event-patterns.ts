/**
 * Reading the event patterns and policies of a template without deploying it: a small evaluator of
 * the intrinsics they hold and a matcher for the part of EventBridge's pattern language they use.
 */

/** Evaluates the intrinsics a rule pattern holds here: Join, Select/Split of literals, the partition. */
export function evaluate(value: any): any {
  if (Array.isArray(value)) return value.map(evaluate);
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) return evaluate(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
    if ('Ref' in value && value.Ref === 'AWS::Partition') return 'aws';
    if ('Fn::Select' in value) return evaluate(value['Fn::Select'][1])[value['Fn::Select'][0]];
    if ('Fn::Split' in value) return evaluate(value['Fn::Split'][1]).split(value['Fn::Split'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v)]));
  }
  return value;
}

/** The subset of EventBridge matching these patterns use: exact values, prefixes, nested objects. */
export function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, expected]: [string, any]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return values.some((v) => expected.some((e) => (e && typeof e === 'object' && 'prefix' in e ? String(v).startsWith(e.prefix) : e === v)));
    }
    return actual !== undefined && matches(expected, actual);
  });
}
