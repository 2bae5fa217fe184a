/**
 * The operating system family of a component, recipe or image.
 */
export enum Platform {
  /** Linux */
  LINUX = 'Linux',
  /** Windows */
  WINDOWS = 'Windows',
  /** macOS */
  MACOS = 'macOS',
}

/**
 * An operating system version, in the words Image Builder uses for `supportedOsVersions`.
 *
 * Image Builder matches these as prefixes of the parent image's OS name, so `Amazon Linux`
 * covers every Amazon Linux release and `Amazon Linux 2023` only that one.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-component-console.html
 */
export class OsVersion {
  /** Every Amazon Linux release. */
  public static readonly AMAZON_LINUX = new OsVersion(Platform.LINUX, 'Amazon Linux');
  /** Amazon Linux 2. */
  public static readonly AMAZON_LINUX_2 = new OsVersion(Platform.LINUX, 'Amazon Linux 2');
  /** Amazon Linux 2023. */
  public static readonly AMAZON_LINUX_2023 = new OsVersion(Platform.LINUX, 'Amazon Linux 2023');
  /** Every Ubuntu release. */
  public static readonly UBUNTU = new OsVersion(Platform.LINUX, 'Ubuntu');
  /** Ubuntu 22.04. */
  public static readonly UBUNTU_22_04 = new OsVersion(Platform.LINUX, 'Ubuntu 22');
  /** Ubuntu 24.04. */
  public static readonly UBUNTU_24_04 = new OsVersion(Platform.LINUX, 'Ubuntu 24');
  /** Every Red Hat Enterprise Linux release. */
  public static readonly RHEL = new OsVersion(Platform.LINUX, 'Red Hat Enterprise Linux');
  /** Red Hat Enterprise Linux 8. */
  public static readonly RHEL_8 = new OsVersion(Platform.LINUX, 'Red Hat Enterprise Linux 8');
  /** Red Hat Enterprise Linux 9. */
  public static readonly RHEL_9 = new OsVersion(Platform.LINUX, 'Red Hat Enterprise Linux 9');
  /** Red Hat Enterprise Linux 10. */
  public static readonly RHEL_10 = new OsVersion(Platform.LINUX, 'Red Hat Enterprise Linux 10');
  /** Every SUSE Linux Enterprise Server release. */
  public static readonly SLES = new OsVersion(Platform.LINUX, 'SLES');
  /** SUSE Linux Enterprise Server 15. */
  public static readonly SLES_15 = new OsVersion(Platform.LINUX, 'SLES 15');
  /** Every Windows Server release. */
  public static readonly WINDOWS_SERVER = new OsVersion(Platform.WINDOWS, 'Microsoft Windows Server');
  /** Windows Server 2016. */
  public static readonly WINDOWS_SERVER_2016 = new OsVersion(Platform.WINDOWS, 'Microsoft Windows Server 2016');
  /** Windows Server 2019. */
  public static readonly WINDOWS_SERVER_2019 = new OsVersion(Platform.WINDOWS, 'Microsoft Windows Server 2019');
  /** Windows Server 2022. */
  public static readonly WINDOWS_SERVER_2022 = new OsVersion(Platform.WINDOWS, 'Microsoft Windows Server 2022');
  /** Windows Server 2025. */
  public static readonly WINDOWS_SERVER_2025 = new OsVersion(Platform.WINDOWS, 'Microsoft Windows Server 2025');
  /** macOS 14 (Sonoma). */
  public static readonly MACOS_14 = new OsVersion(Platform.MACOS, 'macOS 14');
  /** macOS 15 (Sequoia). */
  public static readonly MACOS_15 = new OsVersion(Platform.MACOS, 'macOS 15');

  /**
   * An OS version this library has no constant for.
   *
   * @param platform the platform the OS belongs to
   * @param name the OS name as Image Builder writes it, e.g. `Amazon Linux 2023`; not empty or blank
   */
  public static of(platform: Platform, name: string): OsVersion {
    return new OsVersion(platform, name);
  }

  /** The platform the OS belongs to. */
  public readonly platform: Platform;
  /** The OS name as Image Builder writes it. */
  public readonly name: string;

  private constructor(platform: Platform, name: string) {
    this.platform = platform;
    this.name = name;
  }
}
