/**
 * The AWS-managed workflows of each stage for each kind of image (user guide, "Manage build and
 * test workflows"): those of one kind would build, test or distribute the wrong kind of image in
 * the other's pipelines.
 */
export const MANAGED_WORKFLOW_NAMES = {
  ami: { build: 'build-image', test: 'test-image', distribution: 'distribute-image' },
  container: { build: 'build-container', test: 'test-container', distribution: 'distribute-container' },
} as const;
