#!/usr/bin/env node
import { execute } from '@oclif/core';

// wallarm-oob ships a locked AWS SDK that supports Node 20; the SDK's notice about its own future
// releases needing Node 22 is about upgrading the SDK, which is this tool's concern, not its user's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

await execute({ dir: import.meta.url });
