import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validationError } from './private/errors';
import { MANAGED_WORKFLOW_NAMES } from './private/managed-workflows';
import { VersionWildcards, validateSemanticVersion } from './private/validation';
import { IWorkflow, Workflow, WorkflowType } from './workflow';

const LATEST_VERSION = 'x.x.x';

/** AWS-managed workflow names: lowercase letters, numbers and hyphens, as they appear in ARNs. */
const MANAGED_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Workflows owned and maintained by AWS
 * (`arn:<partition>:imagebuilder:<region>:aws:workflow/<type>/<name>/x.x.x`), in the stack's
 * partition and region. Each factory imports the latest version; use `fromName` to pin one.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-workflows.html#use-managed-workflows
 */
export class AwsManagedWorkflow {
  /**
   * The default build workflow for images (`build/build-image`).
   *
   * @param scope the scope of the import
   * @param id the id of the import
   */
  public static buildImage(scope: Construct, id: string): IWorkflow {
    return AwsManagedWorkflow.fromName(scope, id, WorkflowType.BUILD, MANAGED_WORKFLOW_NAMES.ami.build);
  }

  /**
   * The default test workflow for images (`test/test-image`).
   *
   * @param scope the scope of the import
   * @param id the id of the import
   */
  public static testImage(scope: Construct, id: string): IWorkflow {
    return AwsManagedWorkflow.fromName(scope, id, WorkflowType.TEST, MANAGED_WORKFLOW_NAMES.ami.test);
  }

  /**
   * The default distribution workflow for images (`distribution/distribute-image`).
   *
   * @param scope the scope of the import
   * @param id the id of the import
   */
  public static distributeImage(scope: Construct, id: string): IWorkflow {
    return AwsManagedWorkflow.fromName(scope, id, WorkflowType.DISTRIBUTION, MANAGED_WORKFLOW_NAMES.ami.distribution);
  }

  /**
   * The default build workflow for container images (`build/build-container`).
   *
   * @param scope the scope of the import
   * @param id the id of the import
   */
  public static buildContainer(scope: Construct, id: string): IWorkflow {
    return AwsManagedWorkflow.fromName(scope, id, WorkflowType.BUILD, MANAGED_WORKFLOW_NAMES.container.build);
  }

  /**
   * The default test workflow for container images (`test/test-container`).
   *
   * @param scope the scope of the import
   * @param id the id of the import
   */
  public static testContainer(scope: Construct, id: string): IWorkflow {
    return AwsManagedWorkflow.fromName(scope, id, WorkflowType.TEST, MANAGED_WORKFLOW_NAMES.container.test);
  }

  /**
   * The default distribution workflow for container images (`distribution/distribute-container`).
   *
   * @param scope the scope of the import
   * @param id the id of the import
   */
  public static distributeContainer(scope: Construct, id: string): IWorkflow {
    return AwsManagedWorkflow.fromName(scope, id, WorkflowType.DISTRIBUTION, MANAGED_WORKFLOW_NAMES.container.distribution);
  }

  /**
   * Any AWS-managed workflow by type and name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param workflowType the stage the workflow runs in, part of its ARN
   * @param workflowName the workflow's name as AWS publishes it, e.g. `build-image`
   * @param workflowVersion the version, with trailing `x` wildcards allowed (`1.x.x`); default x.x.x (the latest version)
   */
  public static fromName(scope: Construct, id: string, workflowType: WorkflowType, workflowName: string, workflowVersion?: string): IWorkflow {
    const version = workflowVersion ?? LATEST_VERSION;
    validateSemanticVersion(scope, 'workflowVersion', version, VersionWildcards.TRAILING);
    if (!Token.isUnresolved(workflowName) && !MANAGED_NAME.test(workflowName)) {
      throw validationError(
        `workflowName must be an AWS-managed workflow name of lowercase letters, numbers and hyphens, got '${workflowName}'`, scope);
    }
    return Workflow._fromOwner(scope, id, 'aws', workflowType, workflowName, version);
  }

  private constructor() {}
}
