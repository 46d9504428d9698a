/**
 * AWS limits the code depends on, stated once (they are AWS's, not ours: each with where AWS documents it).
 */

/** Values one EC2 Describe* filter accepts (EC2 API reference, "Filters": up to 200 values per filter). */
export const EC2_FILTER_VALUES_MAX = 200;

/** Traffic mirror sessions per source network interface (Traffic Mirroring quotas: 3, not adjustable). */
export const MIRROR_SESSIONS_PER_ENI = 3;

/** Traffic mirror sessions per account and Region (Traffic Mirroring quotas: 10,000). */
export const MIRROR_SESSIONS_PER_ACCOUNT = 10_000;
