#!/usr/bin/env node
// The CDK app (cdk.json runs it with tsx). Settings and stage: see the comment atop lib/rekindle-stack.ts.
import { createRekindleApp } from '../lib/app';

const { app } = createRekindleApp();
app.synth();
