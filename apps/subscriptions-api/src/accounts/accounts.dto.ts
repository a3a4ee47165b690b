import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateAccountDto {
  @ApiProperty({ example: 'Acme Learning', maxLength: 200 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class AccountDto {
  @ApiProperty({ example: 'acct_01JEX3M5V8Q2T9ZK7W4N6R1B3C' })
  id!: string;

  @ApiProperty({ example: 'Acme Learning' })
  name!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}
