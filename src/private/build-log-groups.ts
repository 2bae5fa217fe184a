import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { shownValue } from './validation';

/**
 * Image Builder writes log groups under this prefix as itself; any other log group needs an
 * execution role that may write to it (PipelineLoggingConfiguration API reference).
 */
export const IMAGE_BUILDER_LOG_PREFIX = '/aws/imagebuilder/';

/** The log group names Image Builder takes (PipelineLoggingConfiguration API reference). */
const LOG_GROUP_NAME = /^[a-zA-Z0-9\-_/.]{1,512}$/;

/**
 * The name of a log group when synth knows it: the name given to a log group created in the app
 * (whose `logGroupName` is a reference), or the name of one imported by name or ARN.
 */
function knownLogGroupName(group: logs.ILogGroup): string | undefined {
  const resource = group.node.defaultChild;
  const name = resource instanceof logs.CfnLogGroup ? resource.logGroupName : group.logGroupName;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

/** CloudWatch Logs takes names (such as with `#`) that Image Builder rejects when the build starts. */
export function validateLogGroupName(scope: IConstruct, prop: string, group: logs.ILogGroup | undefined): void {
  const name = group && knownLogGroupName(group);
  if (name !== undefined && !LOG_GROUP_NAME.test(name)) {
    throw validationError(`${prop} must be a log group whose name has 1 to 512 letters, digits and the characters - _ / . ` +
      `(Image Builder takes no others), got ${shownValue(name)}`, scope);
  }
}

/** Whether Image Builder needs an execution role to write to `group`: unless its name is known to be under its prefix. */
export function needsExecutionRole(group: logs.ILogGroup): boolean {
  return !knownLogGroupName(group)?.startsWith(IMAGE_BUILDER_LOG_PREFIX);
}
