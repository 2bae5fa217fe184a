/**
 * Who to share an Image Builder resource with.
 */
export interface ShareWithOptions {
  /**
   * AWS account IDs.
   *
   * @default - no accounts
   */
  readonly accounts?: string[];

  /**
   * AWS Organizations organization ARNs; every account of the organization can use the resource.
   *
   * @default - no organizations
   */
  readonly organizationArns?: string[];

  /**
   * AWS Organizations organizational unit ARNs.
   *
   * @default - no organizational units
   */
  readonly organizationalUnitArns?: string[];
}
