/**
 * Container image references, after the grammar of Docker's distribution/reference package: an
 * optional registry host (with a port), path components, then an optional tag and digest.
 */
const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}';
export const IMAGE_REFERENCE = new RegExp(`^(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** An image reference that names its tag or digest. */
export const TAGGED_REFERENCE = new RegExp(`(?::${TAG}|@${DIGEST})$`);

/** An image URI of a private ECR registry, which the ECR endpoints serve: `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/...`. */
const PRIVATE_ECR_IMAGE = /^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** Registries on the internet that serve public images, which no VPC endpoint reaches. */
const PUBLIC_REGISTRIES = new Set([
  'docker.io', 'index.docker.io', 'registry-1.docker.io', 'public.ecr.aws', 'mcr.microsoft.com', 'ghcr.io', 'quay.io', 'gcr.io',
  'registry.k8s.io', 'registry.gitlab.com',
]);

/**
 * Whether a public registry on the internet serves the image: a reference without a registry host
 * (Docker Hub's), or one of a well-known public registry. A host of your own may be inside the VPC,
 * and an ECR URI or an Image Builder image ARN is reached through endpoints, so neither counts.
 */
export function servedByPublicRegistry(parentImage: string): boolean {
  if (parentImage.startsWith('arn:') || PRIVATE_ECR_IMAGE.test(parentImage)) {
    return false;
  }
  const first = parentImage.split('/')[0];
  const hasHost = parentImage.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return !hasHost || PUBLIC_REGISTRIES.has(first.toLowerCase());
}
