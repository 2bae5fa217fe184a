import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Component } from './component';
import { ComponentData } from './component-data';
import { ComponentDocument, ComponentPhaseName } from './component-document';
import { ComponentFile } from './component-file';
import { Platform } from './platform';
import { CertificateToInstall, certificateFolder, installCertificatesStep } from './private/certificate-install';
import { validationError } from './private/errors';
import { checkLocalFile } from './private/files';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/g;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Properties of a {@link TrustedCertificatesComponent}.
 */
export interface TrustedCertificatesComponentProps {
  /**
   * The platform of the images that trust the certificates.
   */
  readonly platform: Platform;

  /**
   * Local PEM files of the CA certificates to trust, one certificate each: your root CA, and the
   * issuing CAs a TLS-inspecting proxy signs with, say. Each is installed under its file name with
   * `.crt`, so the names must differ.
   */
  readonly certificateFiles: string[];

  /**
   * The component's name.
   *
   * @default - generated from the construct path
   */
  readonly componentName?: string;

  /**
   * The component's version.
   *
   * @default 1.0.0
   */
  readonly componentVersion?: string;

  /**
   * The component's description.
   *
   * @default 'Trusts the CA certificates <file names>'
   */
  readonly description?: string;
}

/**
 * A build component that makes the image trust CA certificates of your own, system-wide, so that
 * later components, and the image's programs, reach hosts whose TLS certificates they sign (an
 * internal package mirror, a TLS-inspecting proxy). Each certificate file is uploaded as an asset,
 * downloaded by the component's first step and added to the platform's trust store: with
 * `update-ca-trust` or `update-ca-certificates`, whichever the Linux distribution has; with
 * `Import-Certificate` on Windows (a self-signed certificate to the root store, an issuing CA to the
 * intermediate one); into the System keychain on macOS. Put it first in the recipe. Stores of
 * their own (a Java keystore, Python's certifi) are not changed.
 */
export class TrustedCertificatesComponent extends Component {
  public constructor(scope: Construct, id: string, props: TrustedCertificatesComponentProps) {
    // Checked before the component exists, so that a bad file is reported under this prop rather
    // than under the component's `files`.
    const certificates = readCertificates(scope, id, props.certificateFiles);
    const document = new ComponentDocument({ name: 'trusted-certificates', description: 'Trusts CA certificates of your own' });
    document.addSteps(ComponentPhaseName.BUILD, installCertificatesStep(props.platform, certificates));
    const separator = props.platform === Platform.WINDOWS ? '\\' : '/';
    super(scope, id, {
      platform: props.platform,
      componentName: props.componentName,
      componentVersion: props.componentVersion,
      description: props.description ?? `Trusts the CA certificates ${certificates.map((c) => c.fileName).join(', ')}`.slice(0, 1024),
      data: ComponentData.fromDocument(document),
      files: certificates.map(({ file, fileName }) => ComponentFile.fromAsset(file, `${certificateFolder(props.platform)}${separator}${fileName}`)),
    });
    certificates.flatMap((c) => c.warnings).forEach(([id_, message]) => Annotations.of(this).addWarningV2(id_, message));
  }
}

/** A certificate file, read and checked: what the install step needs, and what to warn about. */
interface CheckedCertificate extends CertificateToInstall {
  readonly file: string;
  readonly warnings: Array<[string, string]>;
}

/**
 * Reads the certificate files: each is one PEM certificate without a private key, of a file name
 * of its own. An expired one, or one that is no CA, is installed with a warning.
 */
function readCertificates(scope: Construct, id: string, files: string[]): CheckedCertificate[] {
  const prop = `${id} certificateFiles`;
  if (files.length === 0) {
    throw validationError(`${prop} must list at least one certificate file, got none`, scope);
  }
  const certificates = files.map((file, i): CheckedCertificate => {
    const what = `${prop}[${i}] '${file}'`;
    const text = fs.readFileSync(checkLocalFile(scope, `${prop}[${i}]`, file), 'utf-8');
    if (PEM_PRIVATE_KEY.test(text)) {
      throw validationError(`${what} holds a private key, which the component would upload and put on every instance: give the certificate alone`, scope);
    }
    const count = text.match(PEM_CERTIFICATE)?.length ?? 0;
    if (count !== 1) {
      throw validationError(`${what} must hold one PEM certificate (-----BEGIN CERTIFICATE-----), got ${count}` +
        (count > 1 ? ': give each in a file of its own, as the trust stores read one a file'
          : ' (a DER file converts with openssl x509 -inform der -in <file> -out <file>.pem)'), scope);
    }
    const certificate = parseCertificate(scope, what, text);
    const warnings: Array<[string, string]> = [];
    if (new Date(certificate.validTo).getTime() < Date.now()) {
      warnings.push(['cdk-imagebuilder:expiredCertificate',
        `${what} (${oneLine(certificate.subject)}) expired on ${certificate.validTo}: it would be installed, but trusts nothing`]);
    }
    if (!certificate.ca) {
      warnings.push(['cdk-imagebuilder:notCaCertificate',
        `${what} (${oneLine(certificate.subject)}) is no CA certificate: trusting it trusts that one certificate, not those it would sign`]);
    }
    return { file, fileName: installedName(file), selfSigned: certificate.issuer === certificate.subject, warnings };
  });
  const names = certificates.map((c) => c.fileName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw validationError(`${prop} are installed by file name, got two that would both be '${duplicate}': rename one`, scope);
  }
  return certificates;
}

/** The file name a certificate gets on the instance: its own, in letters, digits, `.`, `_` and `-`, with `.crt`, which Debian's store needs. */
function installedName(file: string): string {
  const stem = path.basename(file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '-');
  return `${stem || 'certificate'}.crt`;
}

function parseCertificate(scope: Construct, what: string, text: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch (e) {
    throw validationError(`${what} must be a PEM certificate, got one that does not parse: ${(e as Error).message}`, scope);
  }
}

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}
