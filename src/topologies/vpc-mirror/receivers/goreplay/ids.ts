/** Logical ids of the goreplay receiver (the ids vpc-mirror has always used for it). */
export const GOREPLAY_ID = {
  rebuilderSecurityGroup: 'rebuilder-security-group',
  rebuilderLaunchTemplate: 'rebuilder-launch-template',
  nlb: 'rebuilder-nlb',
  targetGroup: 'rebuilder-target-group',
  listener: 'rebuilder-listener',
  asg: 'rebuilder-asg',
} as const;
