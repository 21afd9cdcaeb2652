/** Commands about kubectl itself: options, plugin. */
import type { Command } from '../types';
import { optionsCommand } from './options';
import { pluginCommand } from './plugin';

export const commands: Command[] = [optionsCommand(), pluginCommand()];
