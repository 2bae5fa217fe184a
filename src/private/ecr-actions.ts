/** Pulling an image's layers: `docker pull`, or a container build reading its parent image. */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** Pulling and pushing image layers: what a container build does with its target repository. */
export const ECR_PULL_PUSH_ACTIONS = [
  ...ECR_PULL_ACTIONS,
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];
