import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The service principals this library hands roles to. */
export const IMAGE_BUILDER_SERVICE = 'imagebuilder.amazonaws.com';
export const EC2_SERVICE = 'ec2.amazonaws.com';

/**
 * Fails synthesis when `role`, given as `prop`, is a role of this app whose trust policy does not
 * let `service` assume it: the stack would deploy, and every build would fail when the service
 * could not take the role. Checked when the app synthesizes, as statements may still be added to
 * the trust policy after the role is given. Imported roles, and trust policies synthesis cannot
 * read (a principal or statement that is a token), are left alone.
 *
 * @param why what the service does as the role, for the message
 */
export function requireTrustedBy(scope: IConstruct, prop: string, role: iam.IRole | undefined, service: string, why: string): void {
  if (!role || !iam.Role.isRole(role) || !role.assumeRolePolicy) {
    return;
  }
  const trustPolicy = role.assumeRolePolicy;
  scope.node.addValidation({
    validate: () => {
      const principals = allowedPrincipals(Stack.of(role).resolve(trustPolicy.toJSON()));
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
  if (!Array.isArray(statements) || !statements.every(isPlainObject)) {
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

/** Whether `principal` is or may be `service`: any principal, the service (also as China writes it), or a token. */
function mayBe(principal: unknown, service: string): boolean {
  if (principal === '*' || !isPlainObject(principal)) {
    return true;
  }
  const { AWS: aws, Service: services } = principal as Record<string, unknown>;
  if (aws === '*') {
    return true;
  }
  return [services ?? []].flat().some((value) => typeof value !== 'string' || value === service || value === `${service}.cn`);
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
