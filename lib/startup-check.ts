import { env, EnvError } from "@/lib/env";

// Imported once at server start (instrumentation.ts): refuse to serve with a bad configuration,
// with one line per problem.
try {
  env();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
