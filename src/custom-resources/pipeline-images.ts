import { CustomResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PIPELINE_IMAGES_TYPE } from './handler/events';
import { HandlerFunction } from './handler-function';
import { IMAGE_BUILDER_SERVICE } from '../private/role-trust';

/** Properties of a {@link PipelineImageDeletion}. */
export interface PipelineImageDeletionProps {
  /** The ARN of the pipeline whose images are deleted. */
  readonly pipelineArn: string;
  /** Whether the pipeline builds container images (deleted from ECR) rather than AMIs (deregistered, with their snapshots). */
  readonly containerImages: boolean;
}

/**
 * Deletes the images a pipeline built, with their AMIs and snapshots or their container images,
 * when it is deleted: with the pipeline, or when the stack goes. It references the pipeline, so
 * CloudFormation deletes it while the pipeline still exists.
 */
export class PipelineImageDeletion extends Construct {
  public constructor(scope: Construct, id: string, props: PipelineImageDeletionProps) {
    super(scope, id);
    const handler = HandlerFunction.of(this);
    const role = handler.imageDeletionRole();
    const kindPolicy = grantHandler(handler, role);
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.serviceToken,
      resourceType: PIPELINE_IMAGES_TYPE,
      properties: {
        PipelineArn: props.pipelineArn,
        ExecutionRoleArn: role.roleArn,
        ImageType: props.containerImages ? 'DOCKER' : 'AMI',
      },
    });
    // A long deletion continues in a new invocation of the function.
    resource.node.addDependency(handler.role, kindPolicy, handler.grantSelfInvoke());
  }
}

/**
 * What the Delete needs, in a policy every such resource depends on: an update that removes the
 * last of them rewrites the role's default policy before their Delete runs, and would take these
 * statements with it. The images and deletions are those of any pipeline, as the Delete may reach
 * a pipeline the template no longer names.
 */
function grantHandler(handler: HandlerFunction, role: iam.IRole): iam.Policy {
  const arn = (resource: string) => Stack.of(handler).formatArn({ service: 'imagebuilder', resource, resourceName: '*' });
  return handler.policyForKind('PipelineImages', () => [
    new iam.PolicyStatement({ actions: ['imagebuilder:GetImagePipeline', 'imagebuilder:ListImagePipelineImages'], resources: [arn('image-pipeline')] }),
    new iam.PolicyStatement({
      actions: ['imagebuilder:CancelImageCreation', 'imagebuilder:GetImage', 'imagebuilder:StartResourceStateUpdate'],
      resources: [arn('image')],
    }),
    new iam.PolicyStatement({ actions: ['imagebuilder:GetLifecycleExecution'], resources: [arn('lifecycle-execution')] }),
    // StartResourceStateUpdate passes the deletion role to Image Builder.
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': IMAGE_BUILDER_SERVICE } },
    }),
  ], [{
    reason: 'The images are built by the pipeline at any time, and a delete may reach a pipeline the template no longer names; ' +
      'the grant covers the pipelines, images and lifecycle executions of this account and region',
    appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:imagebuilder:.*:(image-pipeline|image|lifecycle-execution)\\/\\*$/' }],
  }]);
}
