import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Component } from './component';
import { ComponentData } from './component-data';
import { ComponentDocument, ComponentPhaseName } from './component-document';
import { ComponentFile } from './component-file';
import { Platform } from './platform';
import { CertificateToInstall, certificatePath, installCertificatesStep } from './private/certificate-install';
import { validationError } from './private/errors';
import { checkLocalFile, generatedFile } from './private/files';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/g;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Properties of a {@link TrustedCertificatesComponent}.
 */
export interface TrustedCertificatesComponentProps {
  /**
   * The platform of the images that trust the certificates: Linux or Windows.
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
 * intermediate one). Put it first in the recipe. Stores of their own (Python's certifi; a Java
 * keystore, unless the distribution's tool updates it) may not be changed. Not for macOS, whose
 * trust settings a script cannot change.
 */
export class TrustedCertificatesComponent extends Component {
  public constructor(scope: Construct, id: string, props: TrustedCertificatesComponentProps) {
    // Checked before the component exists, so that a bad file is reported under this prop rather
    // than under the component's `files`.
    if (props.platform === Platform.MACOS) {
      throw validationError(`${id} platform must be Linux or Windows, got macOS: since macOS 11 a script, even run as root, cannot change ` +
        "the system's certificate trust settings; trust the certificates with a configuration profile", scope);
    }
    const certificates = readCertificates(scope, id, props.certificateFiles);
    const document = new ComponentDocument({ name: 'trusted-certificates', description: 'Trusts CA certificates of your own' });
    document.addSteps(ComponentPhaseName.BUILD, installCertificatesStep(props.platform, certificates));
    super(scope, id, {
      platform: props.platform,
      componentName: props.componentName,
      componentVersion: props.componentVersion,
      description: props.description ?? `Trusts the CA certificates ${certificates.map((c) => c.fileName).join(', ')}`.slice(0, 1024),
      data: ComponentData.fromDocument(document),
      // Uploaded as PEM with LF line ends and nothing around it, which every trust store tool reads.
      files: certificates.map(({ certificate, fileName }) =>
        ComponentFile.fromAsset(generatedFile(scope, '.pem', certificate.toString()), certificatePath(props.platform, fileName))),
    });
    for (const { what, certificate } of certificates) {
      const now = Date.now();
      if (new Date(certificate.validTo).getTime() < now || new Date(certificate.validFrom).getTime() > now) {
        Annotations.of(this).addWarningV2('cdk-imagebuilder:certificateValidity', `${what} (${oneLine(certificate.subject)}) is valid from ` +
          `${certificate.validFrom} to ${certificate.validTo} only: it would be installed, but trusts nothing outside that time`);
      }
      if (!certificate.ca) {
        Annotations.of(this).addWarningV2('cdk-imagebuilder:notCaCertificate',
          `${what} (${oneLine(certificate.subject)}) is no CA certificate: trusting it trusts that one certificate, not those it would sign`);
      }
    }
    if (props.platform === Platform.WINDOWS) {
      warnIssuingCasWithoutIssuer(this, certificates);
    }
  }
}

/** A certificate file, read and checked: what the install step needs, and the certificate for the warnings. */
interface CheckedCertificate extends CertificateToInstall {
  /** The prop and file, for messages. */
  readonly what: string;
  readonly certificate: X509Certificate;
}

/** Reads the certificate files: each is one PEM certificate without a private key, of a file name of its own. */
function readCertificates(scope: Construct, id: string, files: string[]): CheckedCertificate[] {
  const prop = `${id} certificateFiles`;
  if (files.length === 0) {
    throw validationError(`${prop} must list at least one certificate file, got none`, scope);
  }
  const certificates = files.map((file, i): CheckedCertificate => {
    const what = `${prop}[${i}] '${file}'`;
    if (Token.isUnresolved(file)) {
      throw validationError(`${prop}[${i}] must be a local path known at synth time, got a value known only at deployment`, scope);
    }
    const text = fs.readFileSync(checkLocalFile(scope, `${prop}[${i}]`, file), 'utf-8');
    if (PEM_PRIVATE_KEY.test(text)) {
      throw validationError(`${what} holds a private key, which the component would upload and put on every instance: give the certificate alone`, scope);
    }
    const count = text.match(PEM_CERTIFICATE)?.length ?? 0;
    if (count !== 1) {
      throw validationError(`${what} must hold one PEM certificate (-----BEGIN CERTIFICATE-----), got ${count}${countHint(text, count)}`, scope);
    }
    const certificate = parseCertificate(scope, what, text);
    const selfSigned = certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
    return { what, certificate, fileName: installedName(file, i), selfSigned };
  });
  const names = certificates.map((c) => c.fileName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw validationError(`${prop} are installed by file name, got two that would both be '${duplicate}': rename one`, scope);
  }
  return certificates;
}

/** Why a file holds no single certificate, and what to do. */
function countHint(text: string, count: number): string {
  if (count > 1) {
    return ': give each in a file of its own, as the trust stores read one a file';
  }
  return /-----BEGIN TRUSTED CERTIFICATE-----/.test(text)
    ? ", got OpenSSL's trusted certificate format (convert it with openssl x509 -in <file> -out <file>.pem)"
    : ' (a DER file converts with openssl x509 -inform der -in <file> -out <file>.pem)';
}

/**
 * Windows trusts only the certificates of its root store; the intermediate store, where an issuing
 * CA goes, serves to build chains. An issuing CA whose issuer is not among the files is then
 * trusted only if the image trusts that issuer already.
 */
function warnIssuingCasWithoutIssuer(scope: Construct, certificates: CheckedCertificate[]): void {
  for (const { what, certificate, selfSigned } of certificates) {
    if (!selfSigned && !certificates.some((other) => other.certificate !== certificate && certificate.checkIssued(other.certificate))) {
      Annotations.of(scope).addWarningV2('cdk-imagebuilder:issuingCaWithoutRoot',
        `${what} (${oneLine(certificate.subject)}) goes to the intermediate store on Windows, which trusts nothing by itself, and its issuer ` +
        `(${oneLine(certificate.issuer)}) is not among certificateFiles: give the root CA too, unless the image trusts it already`);
    }
  }
}

/**
 * The file name a certificate gets on the instance: its own, in letters, digits, `.`, `_` and `-`
 * (else by its position), with `.crt`, which Debian's store needs.
 */
function installedName(file: string, index: number): string {
  const stem = path.basename(file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '-');
  return `${/[A-Za-z0-9]/.test(stem) ? stem : `certificate-${index}`}.crt`;
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
