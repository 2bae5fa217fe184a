import { App, Stack } from 'aws-cdk-lib';
import { AwsManagedComponent, IComponent, Platform } from '../src';
import { inAwsPartition } from './helpers/arns';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
});

function arnOf(component: IComponent): string {
  return inAwsPartition(stack.resolve(component.componentArn));
}

describe('AwsManagedComponent', () => {
  const catalogue: Array<[string, (s: Stack, id: string, o: { platform: Platform }) => IComponent, string, string]> = [
    ['updateOs', AwsManagedComponent.updateOs, 'update-linux', 'update-windows'],
    ['awsCliV2', AwsManagedComponent.awsCliV2, 'aws-cli-version-2-linux', 'aws-cli-version-2-windows'],
    ['reboot', AwsManagedComponent.reboot, 'reboot-linux', 'reboot-windows'],
    ['stigBuild', AwsManagedComponent.stigBuild, 'stig-build-linux', 'stig-build-windows'],
    ['helloWorld', AwsManagedComponent.helloWorld, 'hello-world-linux', 'hello-world-windows'],
    ['python3', AwsManagedComponent.python3, 'python-3-linux', 'python-3-windows'],
    ['cloudWatchAgent', AwsManagedComponent.cloudWatchAgent, 'amazon-cloudwatch-agent-linux', 'amazon-cloudwatch-agent-windows'],
  ];

  test.each(catalogue)('%s has Linux and Windows variants owned by aws', (_method, factory, linuxName, windowsName) => {
    const linux = factory(stack, 'Linux', { platform: Platform.LINUX });
    const windows = factory(stack, 'Windows', { platform: Platform.WINDOWS });

    expect(arnOf(linux)).toBe(`arn:aws:imagebuilder:eu-west-1:aws:component/${linuxName}/x.x.x`);
    expect(arnOf(windows)).toBe(`arn:aws:imagebuilder:eu-west-1:aws:component/${windowsName}/x.x.x`);
    expect(linux.platform).toBe(Platform.LINUX);
    expect(windows.platform).toBe(Platform.WINDOWS);
  });

  test('the partition follows the stack', () => {
    const component = AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX });
    expect(stack.resolve(component.componentArn)['Fn::Join'][1]).toContainEqual({ Ref: 'AWS::Partition' });
  });

  test('an env-agnostic stack uses the deploy-time region', () => {
    const agnostic = new Stack(new App(), 'Agnostic');
    const component = AwsManagedComponent.updateOs(agnostic, 'Update', { platform: Platform.LINUX });
    expect(JSON.stringify(agnostic.resolve(component.componentArn))).toContain('AWS::Region');
  });

  test('a pinned or wildcard version', () => {
    const pinned = AwsManagedComponent.awsCliV2(stack, 'Pinned', { platform: Platform.LINUX, componentVersion: '1.0.4' });
    const minor = AwsManagedComponent.awsCliV2(stack, 'Minor', { platform: Platform.LINUX, componentVersion: '1.x.x' });

    expect(pinned.componentVersion).toBe('1.0.4');
    expect(arnOf(minor)).toBe('arn:aws:imagebuilder:eu-west-1:aws:component/aws-cli-version-2-linux/1.x.x');
  });

  test('a version with leading zeros', () => {
    const dated = AwsManagedComponent.fromName(stack, 'Dated', 'vendor-tool', { componentVersion: '2021.01.x', platform: Platform.LINUX });
    const pinned = AwsManagedComponent.reboot(stack, 'Pinned', { platform: Platform.LINUX, componentVersion: '1.0.04' });

    expect(arnOf(dated)).toBe('arn:aws:imagebuilder:eu-west-1:aws:component/vendor-tool/2021.01.x');
    expect(pinned.componentVersion).toBe('1.0.04');
  });

  test('fromName for any other component', () => {
    const component = AwsManagedComponent.fromName(stack, 'Chrony', 'chrony-time-configuration-test', { platform: Platform.LINUX });

    expect(arnOf(component)).toBe('arn:aws:imagebuilder:eu-west-1:aws:component/chrony-time-configuration-test/x.x.x');
    expect(component.platform).toBe(Platform.LINUX);
  });

  test('fails when the catalogue has no variant for the platform', () => {
    expect(() => AwsManagedComponent.updateOs(stack, 'Mac', { platform: Platform.MACOS }))
      .toThrow('AwsManagedComponent.updateOs has no macOS variant; platform must be Linux or Windows');
  });

  test('fails when the version has a wildcard before a number', () => {
    expect(() => AwsManagedComponent.reboot(stack, 'Reboot', { platform: Platform.LINUX, componentVersion: 'x.0.1' }))
      .toThrow(/componentVersion .*'x\.0\.1'/);
  });

  test('fails when the name is not a component name', () => {
    expect(() => AwsManagedComponent.fromName(stack, 'Bad', 'Update Linux'))
      .toThrow("componentName must be an AWS-managed component name of lowercase letters, numbers and hyphens, got 'Update Linux'");
  });
});
