/**
 * An ARN as resolved in a template, with the partition that `formatArn` renders as a Ref written
 * out as `aws`: the string to compare with an ARN AWS publishes.
 */
export function inAwsPartition(resolved: any): string {
  return typeof resolved === 'string'
    ? resolved
    : resolved['Fn::Join'][1].map((part: any) => (part.Ref === 'AWS::Partition' ? 'aws' : part)).join('');
}
