import { CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Component, IComponent } from '../component';
import { ComponentData } from '../component-data';
import { ComponentDocument } from '../component-document';
import { RecipeComponent } from '../image-recipe';
import { Platform } from '../platform';
import { validationError } from '../private/errors';
import { addNagSuppression } from '../private/nag-suppressions';
import { ShareWithOptions } from '../sharing';

/** What a pattern builds its image from: components, a document, a shell script, or several. */
export interface PatternComponentSources {
  readonly components?: RecipeComponent[];
  readonly document?: ComponentDocument;
  readonly shellScript?: string;
  readonly platform: Platform;
}

/**
 * The recipe components of a pattern: the given components, then a component made from the
 * document, then one made from the shell script. At least one source is needed.
 */
export function patternComponents(scope: Construct, sources: PatternComponentSources): RecipeComponent[] {
  const components = [...(sources.components ?? [])];
  if (sources.document) {
    components.push({ component: new Component(scope, 'DocumentComponent', { platform: sources.platform, data: ComponentData.fromDocument(sources.document) }) });
  }
  if (sources.shellScript !== undefined) {
    components.push({ component: new Component(scope, 'ShellComponent', { platform: sources.platform, data: ComponentData.fromShellScript(sources.shellScript) }) });
  }
  if (components.length === 0) {
    throw validationError('a pipeline needs something to build: give components, document or shellScript, got none of them', scope);
  }
  return components;
}

/** Shares the components this app owns (AWS-managed and imported ones are not ours to share). */
export function shareOwnComponents(components: RecipeComponent[], options: ShareWithOptions): void {
  components.map((c) => c.component)
    .filter((c): c is IComponent => Component.isComponent(c))
    .forEach((c) => c.shareWith(options));
}

/** An S3 bucket for build logs: encrypted, SSL only, no public access, logs expire. */
export function createLogBucket(scope: Construct, expiration: Duration): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'LogBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{ expiration }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  addNagSuppression(bucket.node.defaultChild as CfnResource, 'AwsSolutions-S1',
    'The bucket holds build logs written by the build instances only; access logging would need a second bucket for each log bucket', []);
  return bucket;
}

/** An SNS topic for build notifications, encrypted with a rotating customer key, SSL only. */
export function createNotificationTopic(scope: Construct): { topic: sns.Topic; key: kms.Key } {
  const key = new kms.Key(scope, 'NotificationKey', {
    enableKeyRotation: true,
    description: 'Encrypts the image build notifications',
  });
  const topic = new sns.Topic(scope, 'Notifications', { masterKey: key, enforceSSL: true });
  return { topic, key };
}

/** The patterns' lifecycle rule count must be what the service accepts. */
export function validateKeepImages(scope: Construct, keepImages: number): void {
  if (!Number.isInteger(keepImages) || keepImages < 1 || keepImages > 1000) {
    throw validationError(`keepImages must be a whole number from 1 to 1000, got ${keepImages}`, scope);
  }
}
