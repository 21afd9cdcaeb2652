/** Changing objects from manifests and in place: apply, replace, delete, diff, patch, label, annotate, edit. */
import type { Command } from '../types';
import { applyCommand } from './apply';

export const commands: Command[] = [applyCommand()];
