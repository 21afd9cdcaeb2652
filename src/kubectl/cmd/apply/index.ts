/** Changing objects from manifests and in place: apply, replace, delete, diff, patch, label, annotate, edit. */
import type { Command } from '../types';
import { applyCommand } from './apply';
import { deleteCommand } from './delete';
import { diffCommand } from './diff';
import { editCommand } from './edit';
import { annotateCommand, labelCommand } from './label';
import { patchCommand } from './patch';
import { replaceCommand } from './replace';

export const commands: Command[] = [applyCommand(), deleteCommand(), labelCommand(), annotateCommand(), patchCommand(), replaceCommand(), diffCommand(), editCommand()];
