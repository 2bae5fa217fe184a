import { Annotations, Reference, Stack, Tokenization } from 'aws-cdk-lib';
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
 * or one to a transit gateway that reaches shared endpoints) and no VPC endpoint for a service in
 * `BUILD_ENDPOINT_SERVICES`. Such a build waits for the SSM agent until it times out. Checked when
 * the app is complete, as endpoints and routes are often added after the infrastructure
 * configuration. A VPC or route table from outside the app is not checked: its routes and
 * endpoints are not in the app.
 */
export function warnUnreachableIsolatedSubnet(scope: IConstruct, vpc: ec2.IVpc, subnet: ec2.ISubnet): void {
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
      const services = resources.filter((resource): resource is ec2.CfnVPCEndpoint =>
        resource instanceof ec2.CfnVPCEndpoint && createdVpcOf(resource.vpcId) === cfnVpc).map(endpointService);
      const missing = BUILD_ENDPOINT_SERVICES.filter((service) => !services.includes(service));
      if (!hasRoute && missing.length > 0) {
        Annotations.of(scope).addWarningV2('cdk-imagebuilder:isolatedSubnet',
          `the build and test instances run in isolated subnet ${subnet.node.path}, which has no route out of VPC ${vpcLabel(cfnVpc)}, ` +
          `and the VPC has no endpoint for ${missing.join(', ')}: the SSM agent could not register and the build would fail after ` +
          'waiting for it; add the endpoints (vpc.addInterfaceEndpoint, and vpc.addGatewayEndpoint for s3; ec2messages too for ' +
          'SSM Agent before 3.3.40.0), or select a subnet with egress through subnetSelection');
      }
      return [];
    },
  });
}

/**
 * The service of an endpoint: the last part of its name (`com.amazonaws.<region>.ssm` → `ssm`), written
 * out or with the region as a token (`Fn::Join`, `Fn::Sub`); a FIPS endpoint (`ssm-fips`) serves the same.
 */
function endpointService(endpoint: ec2.CfnVPCEndpoint): string | undefined {
  const name: unknown = Stack.of(endpoint).resolve(endpoint.serviceName);
  const intrinsic = typeof name === 'object' && name !== null ? name as { 'Fn::Join'?: [string, unknown[]]; 'Fn::Sub'?: unknown } : undefined;
  const sub = intrinsic?.['Fn::Sub'];
  const parts: unknown = intrinsic ? intrinsic['Fn::Join']?.[1] ?? [Array.isArray(sub) ? sub[0] : sub] : [name];
  const last = Array.isArray(parts) ? parts[parts.length - 1] : undefined;
  return typeof last === 'string' ? last.slice(last.lastIndexOf('.') + 1).replace(/-fips$/, '') : undefined;
}

/** The resource of this app of the given type that a reference token (a `Ref` or attribute) points to, if any. */
function referencedResource<T>(value: string, type: abstract new (...args: never[]) => T): T | undefined {
  const reference = Tokenization.reverse(value);
  return reference instanceof Reference && reference.target instanceof type ? reference.target : undefined;
}
