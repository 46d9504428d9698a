/** Where a deployment's state, lock and default token live in SSM. */
export const statePath = (deployment: string) => `/wallarm-oob/${deployment}/state`;
export const lockPath = (deployment: string) => `/wallarm-oob/${deployment}/lock`;
