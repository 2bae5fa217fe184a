import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine, RegoEngine, StandardDiagnostic, TemplateFile } from '@aws/cloudformation-validate';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A validator finding that makes a template fail. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: 'FATAL' | 'ERROR' | 'WARN';
  readonly message: string;
  /** 'Resource', 'Parameter', 'Output', 'Rule', ... when the finding targets an entity. */
  readonly entityType?: string;
  readonly logicalId?: string;
  readonly resourceType?: string;
  /** As reported by the validator, e.g. 'Properties.Components.0.ComponentArn'. */
  readonly propertyPath?: string;
}

/** A WARN finding that is known to be harmless, with the reason why. */
export interface AcceptedWarning {
  readonly ruleId: string;
  /** Only accept the warning on this resource type. */
  readonly resourceType?: string;
  /** Only accept the warning when its message matches. */
  readonly message?: RegExp;
  readonly reason: string;
}

/**
 * WARN findings that do not fail a template. Keep this short: add an entry only
 * for output of this library (or the CDK boilerplate it brings along) that is
 * genuinely fine, and say why. FATAL and ERROR findings can never be accepted.
 *
 * Plain CDK boilerplate (BootstrapVersion parameter, CheckBootstrapVersion rule,
 * assets, S3/KMS/IAM resources, exports) produces no WARN. CDK Lambda functions and
 * custom-resource providers (incl. the Provider's state machine) produce W3005: CDK
 * adds a DependsOn on the role that `Role: Fn::GetAtt` already implies, which is
 * redundant but harmless. Accept it here (ruleId 'W3005', message
 * /dependency already enforced by a 'GetAtt'/) once the library emits one.
 */
export const ACCEPTED_WARNINGS: readonly AcceptedWarning[] = [
  {
    ruleId: 'W9013',
    message: /Hardcoded account ID in ARN/,
    reason: 'ARNs the user passes in (imports, parent images, resources shared from other accounts) name their '
      + 'account literally; the library never writes its own account into an ARN, it uses AWS::AccountId or the stack env',
  },
  {
    ruleId: 'W3005',
    resourceType: 'AWS::Lambda::Function',
    message: /dependency already enforced by a 'GetAtt' at 'Properties.Role'/,
    reason: 'aws-cdk-lib makes every Lambda function depend on its role (and the role\'s policies) as well as '
      + 'referencing it; the extra DependsOn is redundant, not wrong',
  },
];

const FAILING_SEVERITIES = new Set(['FATAL', 'ERROR', 'WARN']);

// Building the engine takes ~2 s (WASM compile + schema load), so share one per module.
// It is never freed: jest drops the module registry (and the WASM memory) after each test file.
let engine: Engine | undefined;
function getEngine(): Engine {
  engine ??= new RegoEngine();
  return engine;
}

/**
 * Validates a synthesized template and returns every FATAL/ERROR finding and every
 * WARN finding not covered by `accepted`. INFO findings are ignored.
 */
export function validateTemplate(template: object, accepted: readonly AcceptedWarning[] = ACCEPTED_WARNINGS): Finding[] {
  // The validator only reads templates from files.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-validate-'));
  try {
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
    const report = getEngine().validateStandard(new TemplateFile(file));
    return report.diagnostics
      .filter(d => FAILING_SEVERITIES.has(d.severity))
      .filter(d => !(d.severity === 'WARN' && accepted.some(a => acceptedBy(a, d))))
      .map(toFinding);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Fails with one line per finding if the stack's (or the given) template does not pass
 * `validateTemplate`. Synthesizes the stack's app, so call it after the tree is complete.
 */
export function expectValidTemplate(stackOrTemplate: Stack | object): void {
  const isStack = Stack.isStack(stackOrTemplate);
  const template = isStack ? Template.fromStack(stackOrTemplate).toJSON() : stackOrTemplate;
  const findings = validateTemplate(template);
  if (findings.length > 0) {
    const name = isStack ? `stack ${stackOrTemplate.stackName}` : 'template';
    throw new Error(`AWS CloudFormation Validate found ${findings.length} problem(s) in ${name}:\n${findings.map(formatFinding).join('\n')}`);
  }
}

/** e.g. `F3031 FATAL Resource C (AWS::ImageBuilder::Component) at /Properties/Name: 'ab' does not match ...` */
export function formatFinding(f: Finding): string {
  const entity = f.logicalId ? ` ${f.entityType ?? 'Entity'} ${f.logicalId}${f.resourceType ? ` (${f.resourceType})` : ''}` : '';
  const at = f.propertyPath ? ` at /${f.propertyPath.split('.').join('/')}` : '';
  return `${f.ruleId} ${f.severity}${entity}${at}: ${f.message}`;
}

function acceptedBy(a: AcceptedWarning, d: StandardDiagnostic): boolean {
  return a.ruleId === d.ruleId
    && (a.resourceType === undefined || a.resourceType === d.entity?.resourceType)
    && (a.message === undefined || a.message.test(d.message));
}

function toFinding(d: StandardDiagnostic): Finding {
  return {
    ruleId: d.ruleId,
    severity: d.severity as Finding['severity'],
    message: d.message,
    entityType: d.entity?.entityType,
    logicalId: d.entity?.logicalId,
    resourceType: d.entity?.resourceType,
    propertyPath: d.propertyPath,
  };
}
