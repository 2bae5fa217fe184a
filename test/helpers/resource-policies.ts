import { Template } from 'aws-cdk-lib/assertions';

/**
 * A `Policy` property of a resource-policy custom resource as JSON; references (`Ref`,
 * `Fn::GetAtt`) become `«LogicalId.Attribute»`.
 */
export function parsePolicy(property: any): any {
  const text = typeof property === 'string' ? property : property['Fn::Join'][1]
    .map((part: any) => (typeof part === 'string' ? part : `«${[part.Ref ?? part['Fn::GetAtt']].flat().join('.')}»`)).join('');
  return JSON.parse(text);
}

/** The principals each resource policy of the template shares with, by the logical ID of the resource it is put on. */
export function sharedPrincipals(template: Template): Record<string, string[]> {
  const shared: Record<string, string[]> = {};
  for (const resource of Object.values(template.findResources('Custom::ImageBuilderResourcePolicy'))) {
    const [target] = resource.Properties.ResourceArn['Fn::GetAtt'];
    shared[target] = parsePolicy(resource.Properties.Policy).Statement.flatMap((s: any) => [s.Principal.AWS].flat());
  }
  return shared;
}
