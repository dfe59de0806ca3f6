/** Imported first by local entry points: the AWS SDK's Node 20 notice is noise for a local run. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
