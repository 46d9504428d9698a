/** Debian's official AMI publisher, and the image name pattern of the receivers' instances. */
export const DEBIAN_AMI_OWNER = '136693071363';
export const DEBIAN_AMI_PATTERN = 'debian-12-amd64-*';
