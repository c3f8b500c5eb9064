import { contextBridge, ipcRenderer } from 'electron';
import { exposeRoleBridge } from './expose-role-api';

exposeRoleBridge('kiosk', contextBridge, ipcRenderer);
