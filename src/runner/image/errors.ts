export type ImageErrorReason =
  | 'BAD_REFERENCE'
  | 'BAD_DIGEST'
  | 'DIGEST_MISMATCH'
  | 'SIZE_MISMATCH'
  | 'REGISTRY'
  | 'AUTH'
  | 'BAD_MANIFEST'
  | 'NO_PLATFORM'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PATH_TRAVERSAL'
  | 'SYMLINK_ESCAPE'
  | 'HARDLINK_ESCAPE'
  | 'WRITE_THROUGH_SYMLINK'
  | 'BAD_LAYER';

/** Anything wrong with getting or unpacking an image; the job fails with code IMAGE_ERROR. */
export class ImageError extends Error {
  readonly code = 'IMAGE_ERROR' as const;
  constructor(
    readonly reason: ImageErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImageError';
  }
}
