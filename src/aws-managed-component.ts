import { Construct } from 'constructs';
import { IComponent } from './component';
import { Platform } from './platform';
import { validationError } from './private/errors';
import { importOwnedComponent, validateOwnedComponentName } from './private/owned-components';

/**
 * Options for an AWS-managed component that exists for Linux and Windows.
 */
export interface AwsManagedComponentOptions {
  /**
   * The platform whose variant of the component to use.
   */
  readonly platform: Platform;

  /**
   * The version, with trailing `x` wildcards allowed (`1.x.x`).
   *
   * @default x.x.x (the latest version)
   */
  readonly componentVersion?: string;
}

/**
 * Options for an AWS-managed component chosen by name.
 */
export interface AwsManagedComponentNameOptions {
  /**
   * The version, with trailing `x` wildcards allowed (`1.x.x`).
   *
   * @default x.x.x (the latest version)
   */
  readonly componentVersion?: string;

  /**
   * The platform the component runs on, so that recipes can check it.
   *
   * @default - unknown
   */
  readonly platform?: Platform;
}

/** The component's name per platform, as AWS publishes it. */
type PlatformNames = Partial<Record<Platform, string>>;

/**
 * Components owned and maintained by AWS (`arn:<partition>:imagebuilder:<region>:aws:component/...`),
 * in the stack's partition and region.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-component-manager.html
 */
export class AwsManagedComponent {
  /**
   * Installs the latest OS updates (`update-linux` / `update-windows`).
   */
  public static updateOs(scope: Construct, id: string, options: AwsManagedComponentOptions): IComponent {
    return fromCatalogue(scope, id, 'updateOs', { Linux: 'update-linux', Windows: 'update-windows' }, options);
  }

  /**
   * Installs the AWS CLI version 2 (`aws-cli-version-2-linux` / `aws-cli-version-2-windows`).
   */
  public static awsCliV2(scope: Construct, id: string, options: AwsManagedComponentOptions): IComponent {
    return fromCatalogue(scope, id, 'awsCliV2',
      { Linux: 'aws-cli-version-2-linux', Windows: 'aws-cli-version-2-windows' }, options);
  }

  /**
   * Reboots the instance (`reboot-linux` / `reboot-windows`).
   */
  public static reboot(scope: Construct, id: string, options: AwsManagedComponentOptions): IComponent {
    return fromCatalogue(scope, id, 'reboot', { Linux: 'reboot-linux', Windows: 'reboot-windows' }, options);
  }

  /**
   * Applies DISA STIG hardening (`stig-build-linux` / `stig-build-windows`).
   *
   * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/ib-stig.html
   */
  public static stigBuild(scope: Construct, id: string, options: AwsManagedComponentOptions): IComponent {
    return fromCatalogue(scope, id, 'stigBuild', { Linux: 'stig-build-linux', Windows: 'stig-build-windows' }, options);
  }

  /**
   * Prints a greeting; useful to try a pipeline (`hello-world-linux` / `hello-world-windows`).
   */
  public static helloWorld(scope: Construct, id: string, options: AwsManagedComponentOptions): IComponent {
    return fromCatalogue(scope, id, 'helloWorld', { Linux: 'hello-world-linux', Windows: 'hello-world-windows' }, options);
  }

  /**
   * Installs Python 3 (`python-3-linux` / `python-3-windows`).
   */
  public static python3(scope: Construct, id: string, options: AwsManagedComponentOptions): IComponent {
    return fromCatalogue(scope, id, 'python3', { Linux: 'python-3-linux', Windows: 'python-3-windows' }, options);
  }

  /**
   * Installs the Amazon CloudWatch agent (`amazon-cloudwatch-agent-linux` / `amazon-cloudwatch-agent-windows`).
   */
  public static cloudWatchAgent(scope: Construct, id: string, options: AwsManagedComponentOptions): IComponent {
    return fromCatalogue(scope, id, 'cloudWatchAgent',
      { Linux: 'amazon-cloudwatch-agent-linux', Windows: 'amazon-cloudwatch-agent-windows' }, options);
  }

  /**
   * Any AWS-managed component by name, e.g. `chrony-time-configuration-test`.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param componentName the component's name as AWS publishes it
   * @param options version and platform
   */
  public static fromName(scope: Construct, id: string, componentName: string, options: AwsManagedComponentNameOptions = {}): IComponent {
    validateOwnedComponentName(scope, componentName, 'an AWS-managed');
    return importOwnedComponent(scope, id, 'aws', componentName, options);
  }

  private constructor() {}
}

function fromCatalogue(scope: Construct, id: string, method: string, names: PlatformNames, options: AwsManagedComponentOptions): IComponent {
  const name = names[options.platform];
  if (!name) {
    const supported = Object.keys(names).join(' or ');
    throw validationError(`AwsManagedComponent.${method} has no ${options.platform} variant; platform must be ${supported}`, scope);
  }
  return AwsManagedComponent.fromName(scope, id, name, { componentVersion: options.componentVersion, platform: options.platform });
}

