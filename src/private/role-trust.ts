import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { isMap } from './validation';

/** The service principals this library hands roles to. */
export const IMAGE_BUILDER_SERVICE = 'imagebuilder.amazonaws.com';
export const EC2_SERVICE = 'ec2.amazonaws.com';

/**
 * Fails synthesis when `role`, given as `prop`, is a role of this app whose trust policy does not
 * let `service` assume it: the stack would deploy, and every build would fail when the service
 * could not take the role. Checked when the app synthesizes, as statements may still be added to
 * the trust policy after the role is given. Imported roles, and trust policies synthesis cannot
 * read (a principal or statement that is a token), are left alone; so are raw overrides of the
 * template (`addPropertyOverride`), which synthesis applies after this check.
 *
 * @param why what the service does as the role, for the message
 */
export function requireTrustedBy(scope: IConstruct, prop: string, role: iam.IRole | undefined, service: string, why: string): void {
  if (!role || !iam.Role.isRole(role)) {
    return;
  }
  // The L1's property, as cdk-nag reads it: the role's trust policy, or what replaced it there.
  const resource = role.node.defaultChild as iam.CfnRole;
  scope.node.addValidation({
    validate: () => {
      const principals = allowedPrincipals(Stack.of(role).resolve(resource.assumeRolePolicyDocument));
      if (principals === undefined || principals.some((principal) => mayBe(principal, service))) {
        return [];
      }
      return [`${prop} ${role.node.path} must let ${service} assume it (${why}), but its trust policy allows ` +
        `${principals.length > 0 ? principals.map((p) => JSON.stringify(p)).join(', ') : 'no principal'} to; ` +
        `create it with assumedBy: new iam.ServicePrincipal('${service}'), or add that principal to its trust policy`];
    },
  });
}

const ASSUME_ROLE_ACTIONS = ['sts:assumerole', 'sts:*', '*'];

/**
 * The principals of the statements that allow `sts:AssumeRole`, or `undefined` when the policy
 * holds something this check cannot read.
 */
function allowedPrincipals(policy: any): unknown[] | undefined {
  const statements = policy?.Statement;
  if (!Array.isArray(statements) || !statements.every(isMap)) {
    return undefined;
  }
  const principals: unknown[] = [];
  for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
    const actions: unknown[] = [statement.Action].flat();
    if (actions.some((action) => typeof action !== 'string')) {
      return undefined; // NotAction, or a token
    }
    if (!actions.some((action) => ASSUME_ROLE_ACTIONS.includes((action as string).toLowerCase()))) {
      continue;
    }
    if (statement.Principal === undefined) {
      return undefined; // NotPrincipal
    }
    principals.push(statement.Principal);
  }
  return principals;
}

/** The keys of a principal in a policy; anything else is an intrinsic function (`Fn::If`, say). */
const PRINCIPAL_KEYS = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

/** Whether `principal` is or may be `service`: any principal, the service (also as China writes it), or a token. */
function mayBe(principal: unknown, service: string): boolean {
  if (principal === '*' || !isMap(principal) || Object.keys(principal).some((key) => !PRINCIPAL_KEYS.includes(key))) {
    return true;
  }
  const { AWS: aws, Service: services } = principal;
  if (aws === '*') {
    return true;
  }
  return [services ?? []].flat().some((value) => typeof value !== 'string' || value === service || value === `${service}.cn`);
}
