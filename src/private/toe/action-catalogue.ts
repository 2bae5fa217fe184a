// Provisional catalogue; replaced by the researched one.
export type ToePlatform = 'Linux' | 'Windows' | 'macOS';
export type ToeInputType = 'string' | 'integer' | 'boolean' | 'list' | 'map' | 'any';
export interface ToeInputSpec { readonly name: string; readonly required: boolean; readonly type: ToeInputType; readonly allowedValues?: readonly string[] }
export interface ToeActionSpec {
  readonly name: string;
  readonly platforms: readonly ToePlatform[];
  readonly inputShape: 'object' | 'list' | 'either';
  readonly inputs: readonly ToeInputSpec[];
  readonly strictInputs: boolean;
  readonly outputs: readonly string[];
  readonly docUrl: string;
}
const ALL: ToePlatform[] = ['Linux', 'Windows', 'macOS'];
const URL = 'https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html';
export const TOE_ACTIONS: readonly ToeActionSpec[] = [
  { name: 'ExecuteBash', platforms: ['Linux', 'macOS'], inputShape: 'object', inputs: [{ name: 'commands', required: true, type: 'list' }], strictInputs: false, outputs: ['stdout'], docUrl: URL },
  { name: 'ExecutePowerShell', platforms: ['Windows'], inputShape: 'object', inputs: [{ name: 'commands', required: false, type: 'list' }, { name: 'file', required: false, type: 'string' }, { name: 'executionPolicy', required: false, type: 'string' }], strictInputs: false, outputs: ['stdout'], docUrl: URL },
  { name: 'ExecuteBinary', platforms: ALL, inputShape: 'object', inputs: [{ name: 'path', required: true, type: 'string' }, { name: 'arguments', required: false, type: 'list' }], strictInputs: false, outputs: ['stdout'], docUrl: URL },
  { name: 'S3Download', platforms: ALL, inputShape: 'list', inputs: [{ name: 'source', required: true, type: 'string' }, { name: 'destination', required: true, type: 'string' }, { name: 'expectedBucketOwner', required: false, type: 'string' }, { name: 'overwrite', required: false, type: 'boolean' }], strictInputs: false, outputs: [], docUrl: URL },
  { name: 'S3Upload', platforms: ALL, inputShape: 'list', inputs: [{ name: 'source', required: true, type: 'string' }, { name: 'destination', required: true, type: 'string' }, { name: 'recurse', required: false, type: 'boolean' }, { name: 'expectedBucketOwner', required: false, type: 'string' }], strictInputs: false, outputs: [], docUrl: URL },
  { name: 'WebDownload', platforms: ALL, inputShape: 'list', inputs: [{ name: 'source', required: true, type: 'string' }, { name: 'destination', required: true, type: 'string' }], strictInputs: false, outputs: ['destination'], docUrl: URL },
  { name: 'CreateFile', platforms: ALL, inputShape: 'list', inputs: [{ name: 'path', required: true, type: 'string' }, { name: 'content', required: false, type: 'string' }, { name: 'overwrite', required: false, type: 'boolean' }], strictInputs: false, outputs: [], docUrl: URL },
  { name: 'CreateFolder', platforms: ALL, inputShape: 'list', inputs: [{ name: 'path', required: true, type: 'string' }, { name: 'overwrite', required: false, type: 'boolean' }], strictInputs: false, outputs: [], docUrl: URL },
  { name: 'CreateSymlink', platforms: ALL, inputShape: 'list', inputs: [{ name: 'source', required: true, type: 'string' }, { name: 'destination', required: true, type: 'string' }], strictInputs: false, outputs: [], docUrl: URL },
  { name: 'UpdateOS', platforms: ALL, inputShape: 'object', inputs: [{ name: 'include', required: false, type: 'list' }, { name: 'exclude', required: false, type: 'list' }], strictInputs: false, outputs: [], docUrl: URL },
  { name: 'Reboot', platforms: ALL, inputShape: 'object', inputs: [{ name: 'delaySeconds', required: false, type: 'integer' }], strictInputs: false, outputs: [], docUrl: URL },
  { name: 'Assert', platforms: ALL, inputShape: 'object', inputs: [], strictInputs: false, outputs: [], docUrl: URL },
];
export function findAction(name: string): ToeActionSpec | undefined {
  return TOE_ACTIONS.find((a) => a.name === name);
}
export function findActionIgnoringCase(name: string): ToeActionSpec | undefined {
  return TOE_ACTIONS.find((a) => a.name.toLowerCase() === name.toLowerCase());
}
