import { Annotations, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * The services a build instance calls without which the build cannot run: the SSM agent registers
 * with `ssm` and takes its commands through `ssmmessages`; AWSTOE gets its component documents from
 * `imagebuilder` (`imagebuilder:GetComponent` of the instance profile's managed policy) and itself
 * from S3. `ec2messages` is left out: SSM Agent 3.3.40.0 and later use `ssmmessages` instead, so
 * only older agents need it, and the message says so.
 */
const BUILD_ENDPOINT_SERVICES = ['ssm', 'ssmmessages', 'imagebuilder', 's3'];

/** The VPC resource of this app that a VPC ID refers to, if any. */
export function createdVpcOf(vpcId: string): ec2.CfnVPC | undefined {
  return referencedResource(vpcId, ec2.CfnVPC);
}

/** The path of the `ec2.Vpc` that owns the resource, or of the resource itself. */
export function vpcLabel(resource: ec2.CfnVPC): string {
  const owner = resource.node.scope;
  return owner?.node.defaultChild === resource ? owner.node.path : resource.node.path;
}

/**
 * Warns when the build instances of `scope` run in an isolated subnet of a VPC this app creates and
 * the app gives them no way out: no route of its own on the subnet's route table (a default route,
 * or one to a transit gateway that reaches shared endpoints) and no VPC endpoint that serves the
 * subnet for a service in `BUILD_ENDPOINT_SERVICES` or what the `builds` need (ECR's endpoints,
 * and a route out for a parent image of a public registry, for container builds). Such a build
 * waits for the SSM agent until it times out. Checked when the app is complete, as
 * endpoints, routes and container builds are often added after the infrastructure configuration. A
 * VPC or route table from outside the app is not checked: its routes and endpoints are not in the app.
 */
export function warnUnreachableIsolatedSubnet(scope: IConstruct, vpc: ec2.IVpc, subnet: ec2.ISubnet, builds: () => BuildNeeds): void {
  const cfnVpc = createdVpcOf(vpc.vpcId);
  const routeTableId = vpc.isolatedSubnets.includes(subnet) ? subnet.routeTable?.routeTableId : undefined;
  const routeTable = routeTableId === undefined ? undefined : referencedResource(routeTableId, ec2.CfnRouteTable);
  if (!cfnVpc || !routeTable) {
    return;
  }
  scope.node.addValidation({
    validate: () => {
      const resources = scope.node.root.node.findAll();
      const hasRoute = resources.some((resource) =>
        resource instanceof ec2.CfnRoute && referencedResource(resource.routeTableId, ec2.CfnRouteTable) === routeTable);
      if (hasRoute) {
        return [];
      }
      const { services: extraServices, publicImages } = builds();
      const services = resources.filter((resource): resource is ec2.CfnVPCEndpoint =>
        resource instanceof ec2.CfnVPCEndpoint && createdVpcOf(resource.vpcId) === cfnVpc && servesSubnet(resource, routeTable)).map(endpointService);
      // An endpoint whose service is known only at deployment may be any of them.
      const missing = services.includes(undefined) ? []
        : [...BUILD_ENDPOINT_SERVICES, ...extraServices].filter((service) => !services.includes(service));
      const problems = [
        ...missing.length > 0 ? [`the VPC has no endpoint for ${missing.join(', ')} that serves it`] : [],
        ...publicImages.length > 0 ? [`the container builds pull ${publicImages.join(', ')} from a public registry, which no VPC endpoint reaches`] : [],
      ];
      const fixes = [
        ...missing.length > 0 ? ['add the endpoints (vpc.addInterfaceEndpoint with private DNS, and vpc.addGatewayEndpoint for s3 on the ' +
          'subnet\'s route table; ec2messages too for SSM Agent before 3.3.40.0)'] : [],
        ...publicImages.length > 0 ? ['take the parent image from ECR (an ECR pull-through cache, say)'] : [],
        'select a subnet with egress through subnetSelection',
      ];
      if (problems.length > 0) {
        Annotations.of(scope).addWarningV2('cdk-imagebuilder:isolatedSubnet',
          `the build and test instances run in isolated subnet ${subnet.node.path}, which has no route out of VPC ${vpcLabel(cfnVpc)}, ` +
          `and ${problems.join(', and ')}: the build would fail when the instance cannot reach them; ${fixes.join(', or ')}`);
      }
      return [];
    },
  });
}

/** What the builds of an infrastructure configuration reach besides `BUILD_ENDPOINT_SERVICES`. */
export interface BuildNeeds {
  /** More endpoint services, such as ECR's for container builds. */
  readonly services: string[];
  /** Parent images that public registries serve, which only a route out reaches. */
  readonly publicImages: string[];
}

/**
 * Whether the instances of a subnet reach the service through the endpoint by its usual name: an
 * interface endpoint with private DNS, or a gateway endpoint (the default type) on the subnet's
 * route table. Values known only at deployment count.
 */
function servesSubnet(endpoint: ec2.CfnVPCEndpoint, routeTable: ec2.CfnRouteTable): boolean {
  const type = endpoint.vpcEndpointType ?? 'Gateway';
  if (type === 'Interface') {
    return endpoint.privateDnsEnabled === true || Token.isUnresolved(endpoint.privateDnsEnabled);
  }
  const routeTableIds = endpoint.routeTableIds;
  return type === 'Gateway' && routeTableIds !== undefined && (Token.isUnresolved(routeTableIds)
    || routeTableIds.some((id) => Token.isUnresolved(id) && referencedResource(id, ec2.CfnRouteTable) === routeTable));
}

/**
 * The service of an endpoint, from its name `com.amazonaws.<region>.<service>` (`ssm`, `ecr.api`),
 * written out or with the region as a token (`Fn::Join`, `Fn::Sub`); a FIPS endpoint (`ssm-fips`)
 * serves the same.
 */
function endpointService(endpoint: ec2.CfnVPCEndpoint): string | undefined {
  const name: unknown = Stack.of(endpoint).resolve(endpoint.serviceName);
  const text = typeof name === 'string' ? name : nameAfterRegion(name);
  if (text === undefined) {
    return undefined;
  }
  const written = /(?:^|\.)com\.amazonaws\.[^.]+\.(.+)$/.exec(text);
  return (written ? written[1] : text.replace(/^\./, '')).replace(/-fips$/, '');
}

/** What follows the region in a name joined or substituted around it: `.ssm` of `Fn::Join`, the whole `Fn::Sub` template. */
function nameAfterRegion(name: unknown): string | undefined {
  const intrinsic = typeof name === 'object' && name !== null ? name as { 'Fn::Join'?: [string, unknown[]]; 'Fn::Sub'?: unknown } : {};
  const sub = intrinsic['Fn::Sub'];
  const template = Array.isArray(sub) ? sub[0] : sub;
  if (typeof template === 'string') {
    return template;
  }
  const [delimiter, parts] = intrinsic['Fn::Join'] ?? ['', []];
  const lastToken = parts.map((part) => typeof part === 'string').lastIndexOf(false);
  const tail = parts.slice(lastToken + 1);
  if (tail.length === 0) {
    return undefined;
  }
  return (lastToken < 0 ? '' : delimiter) + tail.join(delimiter);
}

/** The resource of this app of the given type that a reference token (a `Ref` or attribute) points to, if any. */
function referencedResource<T>(value: string, type: abstract new (...args: never[]) => T): T | undefined {
  const reference = Tokenization.reverse(value);
  return reference instanceof Reference && reference.target instanceof type ? reference.target : undefined;
}
