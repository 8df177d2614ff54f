import type { Plugin } from 'vite';

export declare const cedarText: Plugin;
