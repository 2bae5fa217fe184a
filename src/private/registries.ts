/**
 * Container image references, after the grammar of Docker's distribution/reference package: an
 * optional registry host (with a port), path components, then an optional tag and digest.
 */
const HOST_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** A host name, or an IPv6 address in brackets, with an optional port. */
const HOST = `(?:${HOST_COMPONENT}(?:\\.${HOST_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
/** A path component of a reference: lowercase alphanumerics joined by '.', '_', '__' or any run of '-'. */
export const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** A tag: up to 128 letters, digits, underscores, dots and hyphens, not starting with a dot or hyphen. */
export const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}';
export const IMAGE_REFERENCE = new RegExp(`^(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** An image reference that names its tag or digest. */
export const TAGGED_REFERENCE = new RegExp(`(?::${TAG}|@${DIGEST})$`);

/**
 * An image URI of a private ECR registry, which the ECR endpoints serve:
 * `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/...`, the account and region possibly tokens.
 */
const PRIVATE_ECR_IMAGE = /^[^/]+\.dkr\.ecr(-fips)?\.[^/]+\.amazonaws\.com(\.cn)?\//;

/** Registries on the internet that serve public images, which no VPC endpoint reaches. */
const PUBLIC_REGISTRIES = new Set([
  'docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'public.ecr.aws', 'mcr.microsoft.com', 'ghcr.io',
  'quay.io', 'gcr.io', 'k8s.gcr.io', 'mirror.gcr.io', 'registry.k8s.io', 'registry.gitlab.com', 'registry.access.redhat.com',
  'registry.redhat.io', 'registry.suse.com', 'nvcr.io', 'docker.elastic.co',
]);
/** Google's regional registries: `eu.gcr.io`, and Artifact Registry's `<region>-docker.pkg.dev`. */
const PUBLIC_REGISTRY_SUFFIXES = ['.gcr.io', '-docker.pkg.dev'];

/**
 * Whether a public registry on the internet serves the image: a reference without a registry host
 * (Docker Hub's), or one of a well-known public registry. A host of your own may be inside the VPC,
 * and an ECR URI or an Image Builder image ARN is reached through endpoints, so neither counts.
 */
export function servedByPublicRegistry(parentImage: string): boolean {
  if (parentImage.startsWith('arn:') || PRIVATE_ECR_IMAGE.test(parentImage)) {
    return false;
  }
  const host = registryHost(parentImage)?.toLowerCase();
  return host === undefined || PUBLIC_REGISTRIES.has(host) || PUBLIC_REGISTRY_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/**
 * The registry host of an image reference, undefined for Docker Hub's: as Docker reads it, the
 * first component is a host when it has a `.` or `:`, is `localhost`, or is not all lowercase.
 */
function registryHost(reference: string): string | undefined {
  const first = reference.split('/')[0];
  const isHost = reference.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  return isHost ? first : undefined;
}

/** Whether an image URI is of a private ECR registry, which `ContainerParentImage.fromEcr` should give. */
export function isPrivateEcrImage(reference: string): boolean {
  return PRIVATE_ECR_IMAGE.test(reference);
}
