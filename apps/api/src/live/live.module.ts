import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { LiveGateway } from './live.gateway';

@Module({ imports: [AuthModule, NegotiationsModule], providers: [LiveGateway] })
export class LiveModule {}
