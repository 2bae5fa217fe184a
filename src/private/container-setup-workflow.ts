import { Platform } from '../platform';

/** The step of the container build workflow that runs the setup commands. */
const SETUP_STEP = 'RunSetupCommands';

const LAUNCH_STEP = 'LaunchBuildInstance';
const INSTANCE_ID = { 'instanceId.$': `$.stepOutputs.${LAUNCH_STEP}.instanceId` };

/**
 * A build workflow for container images: the steps of AWS's `build-container` workflow (launch the
 * instance once its SSM agent answers, install Docker and the AWS CLI, run the components, which
 * build and push the image), with a step that runs `commands` between the bootstrap and the
 * components, through the Systems Manager document that runs the platform's shell.
 */
export function containerBuildWithSetupDocument(commands: string[], platform: Platform): object {
  return {
    name: 'build-container-with-setup',
    description: 'Builds a container image as AWS\'s build-container workflow does, after running setup commands on the build instance',
    schemaVersion: '1.0',
    steps: [
      { name: LAUNCH_STEP, action: 'LaunchInstance', onFailure: 'Abort', inputs: { waitFor: 'ssmAgent' } },
      {
        name: 'BootstrapBuildInstance',
        action: 'BootstrapInstanceForContainer',
        onFailure: 'Abort',
        if: { stringEquals: 'DOCKER', value: '$.imagebuilder.imageType' },
        inputs: INSTANCE_ID,
      },
      {
        name: SETUP_STEP,
        action: 'RunCommand',
        onFailure: 'Abort',
        inputs: {
          documentName: platform === Platform.WINDOWS ? 'AWS-RunPowerShellScript' : 'AWS-RunShellScript',
          parameters: { commands: stoppingAtFailure(commands, platform) },
          ...INSTANCE_ID,
        },
      },
      { name: 'ApplyBuildComponents', action: 'ExecuteComponents', onFailure: 'Abort', inputs: INSTANCE_ID },
    ],
    outputs: [{ name: 'InstanceId', value: `$.stepOutputs.${LAUNCH_STEP}.instanceId` }],
  };
}

/**
 * The commands as a script that stops at the first that fails. Both Systems Manager documents run
 * the lines as one script whose status is that of its last command, so a failed `docker login`
 * followed by another command would pass: `sh` stops with `set -e`; PowerShell stops on its own
 * errors with `$ErrorActionPreference`, and on a program's exit code only when asked after it.
 */
function stoppingAtFailure(commands: string[], platform: Platform): string[] {
  if (platform === Platform.WINDOWS) {
    return ["$ErrorActionPreference = 'Stop'", ...commands.flatMap((command) => [command, 'if ($LASTEXITCODE) { exit $LASTEXITCODE }'])];
  }
  return ['set -e', ...commands];
}
